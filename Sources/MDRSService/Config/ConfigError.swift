public import MediationDomain

/// A config the daemon cannot start with: names the file, the line or the
/// key, and keeps the underlying error. The same shape as a template error.
public typealias ConfigError = FileError
