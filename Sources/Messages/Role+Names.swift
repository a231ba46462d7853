import MediationDomain

extension Role {
    /// How another party is named to a reader, by role only ("the local
    /// authority"); the family and its advocate are named from the
    /// reader's side ("your advocate", "the family").
    func named(to reader: Role, language: String) -> String {
        let welsh = language == "cy"
        switch self {
        case .parent, .carer, .youngPerson:
            if reader.isFamily { return welsh ? "chi" : "you" }
            if reader == .advocate { return welsh ? "y teulu rydych chi'n ei gefnogi" : "the family you support" }
            return self == .youngPerson ? (welsh ? "y person ifanc" : "the young person") : (welsh ? "y teulu" : "the family")
        case .advocate:
            if reader == .advocate { return welsh ? "chi" : "you" }
            if reader.isFamily { return welsh ? "eich eiriolwr" : "your advocate" }
            return welsh ? "eiriolwr y teulu" : "the family's advocate"
        case .localAuthority:
            return reader == self ? (welsh ? "chi, dros yr awdurdod lleol" : "you, for the local authority")
                : (welsh ? "yr awdurdod lleol" : "the local authority")
        case .health:
            return reader == self ? (welsh ? "chi, dros y gwasanaeth iechyd" : "you, for health services")
                : (welsh ? "y gwasanaeth iechyd (y bwrdd gofal integredig)" : "health services (the integrated care board)")
        case .socialCare:
            return reader == self ? (welsh ? "chi, dros ofal cymdeithasol" : "you, for social care")
                : (welsh ? "gofal cymdeithasol" : "social care")
        case .school:
            return reader == self ? (welsh ? "chi, dros yr ysgol neu'r coleg" : "you, for the school or college")
                : (welsh ? "yr ysgol neu'r coleg" : "the school or college")
        }
    }
}
