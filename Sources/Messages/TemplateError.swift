public import MediationDomain

/// A template that cannot be used, with the file, line and column: the
/// same shape as a config error.
public typealias TemplateError = FileError
