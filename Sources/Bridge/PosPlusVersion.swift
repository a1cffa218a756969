/// The release this build is, shown by `posplus version` and sent as a client version to
/// the services posplus talks to.
public enum PosPlusVersion {
    public static let current = "0.1.0"
}
