import ClubCore
import Foundation
import GRDB

/// Requests per state and how many went on to be matched, over a period.
public struct FunnelReport: Sendable, Encodable, Equatable {
    public let from: Date?
    public let to: Date?
    public let total: Int
    public let byStatus: [String: Int]
    /// Requests now `matched` or `closed` (closing needs a match), among all in the period.
    public let matched: Int
    public let conversion: Double?
}

extension AppDatabase {
    /// One scorecard per studio, computed from outcomes (coordinators).
    public func scorecards(page: PageRequest, for principal: Principal) async throws -> Page<Scorecard> {
        try Policy.require(principal, .readScorecards)
        let studios = try await self.page(Studio.self, from: "studio", page: page)
        let outcomes = try await writer.read { db in try Self.studioOutcomes(in: db) }
        let hours = rules.referralAnswerHours
        return Page(
            items: studios.items.map {
                Scorecard(studioId: $0.id, name: $0.name, outcomes: outcomes[$0.id] ?? StudioOutcomes(), answerWindowHours: hours)
            },
            nextCursor: studios.nextCursor
        )
    }

    /// The request funnel for requests created in [from, to) (coordinators).
    public func funnel(from: Date?, to: Date?, for principal: Principal) async throws -> FunnelReport {
        try Policy.require(principal, .readFunnel)
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let from {
            conditions.append("createdAt >= ?")
            _ = arguments.append(contentsOf: [from])
        }
        if let to {
            conditions.append("createdAt < ?")
            _ = arguments.append(contentsOf: [to])
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        // Plain values leave the read (a `Row` is not `Sendable`), which keeps the read asynchronous.
        let counts = try await writer.read { [arguments] db in
            try Row.fetchAll(db, sql: "SELECT status, COUNT(*) AS count FROM lead \(filter) GROUP BY status", arguments: arguments)
                .map { (status: $0["status"] as String, count: $0["count"] as Int) }
        }
        var byStatus = Dictionary(uniqueKeysWithValues: LeadStatus.allCases.map { ($0.rawValue, 0) })
        for (status, count) in counts { byStatus[status] = count }
        let total = byStatus.values.reduce(0, +)
        let matched = (byStatus["matched"] ?? 0) + (byStatus["closed"] ?? 0)
        let conversion = total == 0 ? nil : (Double(matched) / Double(total) * 1000).rounded() / 1000
        return FunnelReport(from: from, to: to, total: total, byStatus: byStatus, matched: matched, conversion: conversion)
    }
}
