import ClubCore
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Server-side request forgery guard (docs/design.md §10): resolves a delivery's host and refuses
/// it when any address is loopback, link-local, private, unique-local, unspecified, multicast or
/// otherwise special, unless private networks are allowed. It runs before every attempt, and the
/// attempt then connects to the very address checked (`WebhookSender` pins it), so a name that
/// resolves differently a moment later (DNS rebinding) cannot slip through.
public struct WebhookAddressGuard: Sendable {
    public let allowPrivateNetworks: Bool

    public init(allowPrivateNetworks: Bool) {
        self.allowPrivateNetworks = allowPrivateNetworks
    }

    public struct Refusal: Error, Equatable, CustomStringConvertible {
        public let description: String
    }

    /// The address to connect to for `host`: one of those it resolves to, all of them checked.
    public func address(for host: String) async throws -> String {
        var name = host
        if name.hasPrefix("["), name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        let addresses = NetworkAddress.scope(ofAddress: name) != nil ? [name] : try await Self.resolve(name)
        // IPv4 first when there is one: a host without an IPv6 route would otherwise fail every attempt.
        guard let chosen = addresses.first(where: { !$0.contains(":") }) ?? addresses.first else {
            throw Refusal(description: "\(host) resolves to no address")
        }
        if !allowPrivateNetworks {
            for address in addresses {
                let scope = NetworkAddress.scope(ofAddress: address) ?? .reserved
                if scope != .global {
                    throw Refusal(description: "\(host) resolves to \(address), a \(scope.rawValue) address; private networks are not allowed")
                }
            }
        }
        return chosen
    }

    /// Every address `getaddrinfo` gives for the name, in its order (off the cooperative pool: it blocks).
    static func resolve(_ name: String) async throws -> [String] {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try lookUp(name) })
            }
        }
    }

    private static func lookUp(_ name: String) throws -> [String] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(name, nil, &hints, &list)
        guard status == 0 else { throw Refusal(description: "\(name) does not resolve: \(String(cString: gai_strerror(status)))") }
        defer { freeaddrinfo(list) }
        var addresses: [String] = []
        var cursor = list
        while let entry = cursor {
            if let text = numeric(entry.pointee), !addresses.contains(text) { addresses.append(text) }
            cursor = entry.pointee.ai_next
        }
        return addresses
    }

    private static func numeric(_ entry: addrinfo) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        guard let address = entry.ai_addr,
            getnameinfo(address, entry.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0
        else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
