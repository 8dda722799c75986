import DropCore
import Foundation
import Hummingbird

/// `/v1/admin/str-reports`: suspicious transaction reports, their drafting and filing, and the
/// report rendered as goAML XML and as the fields of Altinn form MT-0002.
struct STRReportsFeature: AppFeature {
    func addRoutes(to router: Router<AppRequestContext>, services: AppServices) {
        let reports = services.strReports
        let admin = router.group("/v1/admin/str-reports").add(middleware: RequireRole(.admin))

        admin.get { request, context in
            let query = request.uri.queryParameters
            return try JSON.response(try await reports.list(
                status: try QueryParameter.oneOf(query.get("status"), field: "status"),
                userId: query.get("userId")?.nilIfEmpty, page: try PageRequest(request), for: try context.requireIdentity().userId))
        }

        admin.post { request, context in
            let input = try await request.decodeJSON(STRReportInput.self, context: context)
            return try JSON.response(try await reports.create(input, by: try AdminActor(context)), status: .created)
        }

        admin.get("/:id") { _, context in
            try JSON.response(try await reports.find(id: try context.parameters.require("id"), for: try context.requireIdentity().userId))
        }

        admin.patch("/:id") { request, context in
            let patch = try await request.decodeJSON(STRReportPatch.self, context: context)
            return try JSON.response(try await reports.update(id: try context.parameters.require("id"), patch, by: try AdminActor(context)))
        }

        admin.post("/:id/file") { request, context in
            let body = try await request.body.collect(upTo: context.maxUploadSize)
            let filing = body.readableBytes == 0 ? STRReportFiling(fiuReference: nil) : try JSON.decoder.decode(STRReportFiling.self, from: Data(buffer: body))
            return try JSON.response(try await reports.file(id: try context.parameters.require("id"), filing, by: try AdminActor(context)))
        }

        // The two files name the subject and say why they are suspected: never kept by the browser or anything
        // between, so Back after the officer signs out asks Drop again (and each download is audited).
        admin.get("/:id/goaml.xml") { _, context in
            let id = try context.parameters.require("id")
            let xml = GoAMLReportWriter.xml(try await reports.document(id: id, as: "goaml", by: try AdminActor(context)))
            return Response(status: .ok, headers: [.contentType: "application/xml; charset=utf-8", .cacheControl: "private, no-store",
                                                   .contentDisposition: "attachment; filename=\"str-\(id).xml\""],
                            body: .init(byteBuffer: ByteBuffer(string: xml)))
        }

        admin.get("/:id/mt0002.json") { _, context in
            try JSON.response(try MT0002Form(try await reports.document(id: try context.parameters.require("id"), as: "mt0002", by: try AdminActor(context))),
                              headers: [.cacheControl: "private, no-store"])
        }
    }
}
