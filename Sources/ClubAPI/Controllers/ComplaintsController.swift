import ClubCore
import ClubStore
import Foundation
import HTTPTypes
import Hummingbird

/// Complaints with their recovery plans, and the coordinator's follow-up list.
struct ComplaintsController<Context: APIRequestContext> {
    let database: AppDatabase

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("engagements/:id/complaints") { _, context in
            let found = try await database.complaints(ofEngagement: context.parameters.require("id"), for: context.caller())
            return try JSONCoding.listResponse(ItemList(items: found), itemShape: "Complaint", for: context.caller())
        }
        group.post("engagements/:id/complaints") { request, context in
            let input = try await request.decodeJSON(ComplaintInput.self, context: context)
            return try JSONCoding.response(
                try await database.createComplaint(context.parameters.require("id"), input, by: context.caller()),
                shape: "Complaint",
                for: context.caller(),
                status: .created
            )
        }
        group.get("complaints/:id") { _, context in
            try JSONCoding.response(
                try await database.complaint(context.parameters.require("id"), for: context.caller()),
                shape: "Complaint",
                for: context.caller()
            )
        }
        group.patch("complaints/:id") { request, context in
            let patch = try await request.decodeJSON(ComplaintPatch.self, context: context)
            return try JSONCoding.response(
                try await database.updateComplaint(context.parameters.require("id"), patch, ifVersion: ETag.ifMatch(request), by: context.caller()),
                shape: "Complaint",
                for: context.caller()
            )
        }
        group.post("complaints/:id/studio-account") { request, context in
            let input = try await request.decodeJSON(StudioAccountInput.self, context: context)
            let complaint = try await database.recordStudioAccount(context.parameters.require("id"), input, by: context.caller())
            return try JSONCoding.response(complaint, shape: "Complaint", for: context.caller())
        }
        group.post("complaints/:id/meeting") { request, context in
            let input = try await request.decodeJSON(MeetingInput.self, context: context)
            let complaint = try await database.recordMeeting(context.parameters.require("id"), input, by: context.caller())
            return try JSONCoding.response(complaint, shape: "Complaint", for: context.caller())
        }
        group.post("complaints/:id/plan") { request, context in
            let input = try await request.decodeJSON(PlanInput.self, context: context)
            let complaint = try await database.proposePlan(context.parameters.require("id"), input, by: context.caller())
            return try JSONCoding.response(complaint, shape: "Complaint", for: context.caller())
        }
        group.post("complaints/:id/approve") { request, context in
            _ = try await request.decodeJSON(EmptyBody.self, context: context)
            let complaint = try await database.approvePlan(context.parameters.require("id"), by: context.caller())
            return try JSONCoding.response(complaint, shape: "Complaint", for: context.caller())
        }
        group.post("complaints/:id/resolve") { request, context in
            let input = try await request.decodeJSON(ResolutionInput.self, context: context)
            let complaint = try await database.resolveComplaint(context.parameters.require("id"), input, by: context.caller())
            return try JSONCoding.response(complaint, shape: "Complaint", for: context.caller())
        }
        group.post("complaints/:id/acknowledgement") { request, context in
            try Policy.require(context.caller(), .acknowledgeComplaint)
            let input = try await request.decodeJSON(AcknowledgementInput.self, context: context)
            let complaint = try await database.acknowledgeComplaint(context.parameters.require("id"), input, by: context.caller())
            return try JSONCoding.response(complaint, shape: "Complaint", for: context.caller())
        }
        group.post("complaints/:id/updates") { request, context in
            try Policy.require(context.caller(), .recordComplaintUpdate)
            let input = try await request.decodeJSON(ComplaintUpdateInput.self, context: context)
            let complaint = try await database.recordComplaintUpdate(context.parameters.require("id"), input, by: context.caller())
            return try JSONCoding.response(complaint, shape: "Complaint", for: context.caller(), status: .created)
        }
        group.post("complaints/:id/resolution-answer") { request, context in
            try Policy.require(context.caller(), .answerResolution)
            let input = try await request.decodeJSON(ResolutionAnswerInput.self, context: context)
            let complaint = try await database.answerResolution(context.parameters.require("id"), input, by: context.caller())
            return try JSONCoding.response(complaint, shape: "Complaint", for: context.caller())
        }
        group.get("follow-ups") { _, context in
            try JSONCoding.response(try await database.followUps(for: context.caller()))
        }
    }
}
