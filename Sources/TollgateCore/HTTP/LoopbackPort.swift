import Foundation

/// A loopback port nothing listens on now (bound, read, released): for a server Tollgate
/// starts (`mlflow models serve`) and for the tests' servers.
public enum LoopbackPort {
    public static func free(at location: SourceLocation = SourceLocation(file: "127.0.0.1")) throws(TollgateError) -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TollgateError(.scoring, at: location, "cannot open a socket to find a free port: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw TollgateError(.scoring, at: location, "cannot find a free loopback port: \(String(cString: strerror(errno)))") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
