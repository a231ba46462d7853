public import Mustache

// Each template context answers Mustache's look-ups by name itself: a
// `switch` per struct, where reflecting the context (``TemplateFields``)
// cost a twelfth of rendering an email. The names are the stored
// properties' names, and a test checks every one against reflection, so a
// property added and not listed here fails the tests rather than render
// empty. An absent optional answers `nil` (missing); arrays stay sections.

extension ConfirmationContext: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "service": service
        case "recipientName": recipientName
        case "reference": reference
        case "kindName": kindName
        case "isMediation": isMediation
        case "isDisagreementResolution": isDisagreementResolution
        case "meetingDay": meetingDay
        case "meetingShortDay": meetingShortDay
        case "meetingWeekday": meetingWeekday
        case "meetingTime": meetingTime
        case "meetingTimeRange": meetingTimeRange
        case "meetingWhen": meetingWhen
        case "meetingWhenOn": meetingWhenOn
        case "meetingShortDayOn": meetingShortDayOn
        case "duration": duration
        case "venue": venue
        case "onlineURL": onlineURL
        case "zoneNote": zoneNote
        case "reader": reader
        case "mediatorName": mediatorName
        case "attendees": attendees
        case "ownCall": ownCall
        case "call": call
        case "changes": changes
        case "hasChanges": hasChanges
        default: nil
        }
    }
}

extension ConfirmationContext.Service: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "name": self.name
        case "email": email
        case "phone": phone
        case "phoneLink": phoneLink
        default: nil
        }
    }
}

extension ConfirmationContext.Reader: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "isFamily": isFamily
        case "isYoungPerson": isYoungPerson
        case "isAdvocate": isAdvocate
        case "isLocalAuthority": isLocalAuthority
        case "isProfessional": isProfessional
        case "isFamilySide": isFamilySide
        case "phone": phone
        default: nil
        }
    }
}

extension ConfirmationContext.Call: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "day": day
        case "shortDay": shortDay
        case "weekday": weekday
        case "time": time
        case "dayAndTime": dayAndTime
        case "duration": duration
        case "dayAndTimeOn": dayAndTimeOn
        case "isJoint": isJoint
        case "withAdvocate": withAdvocate
        case "withFamily": withFamily
        default: nil
        }
    }
}

extension MeetingChange: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "what": what
        case "before": before
        case "after": after
        default: nil
        }
    }
}

extension AgendaContext: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "service": service
        case "mediatorName": mediatorName
        case "day": day
        case "calls": calls
        case "meetings": meetings
        case "countText": countText
        case "hasMissingPhones": hasMissingPhones
        case "hasCalls": hasCalls
        case "hasMeetings": hasMeetings
        default: nil
        }
    }
}

extension ServiceContact: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "name": self.name
        case "email": email
        case "phone": phone
        default: nil
        }
    }
}

extension AgendaContext.Person: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "role": role
        case "name": self.name
        case "phone": phone
        case "phoneLink": phoneLink
        case "noPhone": noPhone
        case "separator": separator
        default: nil
        }
    }
}

extension AgendaContext.Call: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "time": time
        case "endTime": endTime
        case "reference": reference
        case "people": people
        default: nil
        }
    }
}

extension AgendaContext.Meeting: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "time": time
        case "reference": reference
        case "kindName": kindName
        case "duration": duration
        case "venue": venue
        case "onlineURL": onlineURL
        default: nil
        }
    }
}

extension CertificateContext: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "service": service
        case "mediatorName": mediatorName
        case "reference": reference
        case "kindName": kindName
        case "meetingDayAndTime": meetingDayAndTime
        case "deadlineDay": deadlineDay
        default: nil
        }
    }
}

extension AdminAlertContext: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "service": service
        case "summary": summary
        case "count": count
        case "countText": countText
        case "items": items
        case "references": references
        case "hasReferences": hasReferences
        default: nil
        }
    }
}

extension AdminAlertContext.Service: MustacheParent {
    public func child(named name: String) -> Any? { name == "name" ? self.name : nil }
}

extension AdminAlertContext.Item: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "reference": reference
        case "detail": detail
        case "time": time
        default: nil
        }
    }
}
