import DropCore
/// An error answered the way Norges Bank's SDMX REST API does: an HTTP status plus an SDMX-ML
/// `Error` message with the standard SDMX code (100 no results, 140 syntax, 150 semantic, ...).
struct SDMXError: Error, Sendable, Hashable {
    let httpStatus: Int
    let sdmxCode: Int
    let text: String

    static func noResults() -> SDMXError {
        SDMXError(httpStatus: 404, sdmxCode: 100, text: "No Results Found")
    }

    static func syntax(_ detail: String) -> SDMXError {
        SDMXError(httpStatus: 400, sdmxCode: 140, text: "Syntax error: \(detail)")
    }

    static func semantic(_ detail: String) -> SDMXError {
        SDMXError(httpStatus: 400, sdmxCode: 150, text: "Semantic error: \(detail)")
    }

    static func tooLarge(_ detail: String) -> SDMXError {
        SDMXError(httpStatus: 413, sdmxCode: 130, text: "Response too large: \(detail)")
    }

    static func unavailable() -> SDMXError {
        SDMXError(httpStatus: 503, sdmxCode: 503, text: "Service unavailable")
    }

    static func internalError() -> SDMXError {
        SDMXError(httpStatus: 500, sdmxCode: 500, text: "Internal Server Error")
    }

    var xml: String {
        """
        <?xml version="1.0" encoding="utf-8"?>
        <message:Error xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" \
        xmlns:common="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common">
          <message:ErrorMessage code="\(sdmxCode)">
            <common:Text xml:lang="en">\(XMLWriter.escaped(text))</common:Text>
          </message:ErrorMessage>
        </message:Error>

        """
    }
}
