import CLibXML2
import TollgateCore

/// A thin, throwing wrapper over libxml2's `xmlTextWriter`, writing to memory.
///
/// libxml2 escapes attribute and text content itself; characters XML 1.0 cannot hold at all
/// (most C0 controls) are replaced first, so a stray byte in a message never makes the file
/// unreadable to a CI server.
final class XMLWriter {
    private let buffer: xmlBufferPtr
    private let writer: xmlTextWriterPtr

    init() throws(TollgateError) {
        guard let buffer = xmlBufferCreate() else { throw TollgateError(.io, "libxml2 could not allocate a buffer") }
        guard let writer = xmlNewTextWriterMemory(buffer, 0) else {
            xmlBufferFree(buffer)
            throw TollgateError(.io, "libxml2 could not create a writer")
        }
        self.buffer = buffer
        self.writer = writer
        xmlTextWriterSetIndent(writer, 1)
        "  ".withCString { _ = xmlTextWriterSetIndentString(writer, UnsafeRawPointer($0).assumingMemoryBound(to: xmlChar.self)) }
        try check(xmlTextWriterStartDocument(writer, "1.0", "UTF-8", nil), "start the document")
    }

    deinit {
        xmlFreeTextWriter(writer)
        xmlBufferFree(buffer)
    }

    func start(_ element: String) throws(TollgateError) {
        try check(element.withXMLChars { xmlTextWriterStartElement(writer, $0) }, "open <\(element)>")
    }

    func end() throws(TollgateError) { try check(xmlTextWriterEndElement(writer), "close an element") }

    func attribute(_ name: String, _ value: String) throws(TollgateError) {
        let clean = Self.xmlSafe(value)
        try check(name.withXMLChars { n in clean.withXMLChars { v in xmlTextWriterWriteAttribute(writer, n, v) } }, "write @\(name)")
    }

    func text(_ value: String) throws(TollgateError) {
        try check(Self.xmlSafe(value).withXMLChars { xmlTextWriterWriteString(writer, $0) }, "write text")
    }

    /// Ends the document and returns its bytes.
    func finish() throws(TollgateError) -> [UInt8] {
        try check(xmlTextWriterEndDocument(writer), "end the document")
        xmlTextWriterFlush(writer)
        let count = Int(xmlBufferLength(buffer))
        guard let content = xmlBufferContent(buffer) else { return [] }
        return Array(UnsafeBufferPointer(start: content, count: count))
    }

    private func check(_ status: Int32, _ what: String) throws(TollgateError) {
        guard status >= 0 else { throw TollgateError(.io, "libxml2 could not \(what)") }
    }

    /// XML 1.0 allows tab, newline and carriage return below U+0020, and nothing in the surrogate
    /// or U+FFFE/FFFF range; anything else becomes U+FFFD.
    static func xmlSafe(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: { !isAllowed($0) }) else { return s }
        return String(String.UnicodeScalarView(s.unicodeScalars.map { isAllowed($0) ? $0 : "\u{FFFD}" }))
    }

    static func isAllowed(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }
}

extension String {
    func withXMLChars<R>(_ body: (UnsafePointer<xmlChar>) -> R) -> R {
        withCString { body(UnsafeRawPointer($0).assumingMemoryBound(to: xmlChar.self)) }
    }
}
