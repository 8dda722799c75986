import DropCore

/// Writes a parsed tree back as XML with `XMLWriter`'s escaping, every element declaring its own
/// namespace, so that reading it again must give the same tree: the reader's property "what it reads
/// it reads exactly" (entities, references, CDATA, line ends and namespaces all resolved the same way).
public enum XMLTreeRoundTrip {
    public static func document(_ element: XMLTree.Element) -> String {
        var output = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        write(element, into: &output)
        return output
    }

    /// The tree without source positions, which a rewritten document doesn't keep.
    public static func withoutLines(_ element: XMLTree.Element) -> XMLTree.Element {
        XMLTree.Element(name: element.name, namespace: element.namespace, attributes: element.attributes,
                        children: element.children.map(withoutLines), text: element.text)
    }

    private static func write(_ element: XMLTree.Element, into output: inout String) {
        output += "<" + element.name + " xmlns=\"" + XMLWriter.escaped(element.namespace ?? "", inAttribute: true) + "\""
        for (name, value) in element.attributes.sorted(by: { $0.key < $1.key }) {
            output += " " + name + "=\"" + XMLWriter.escaped(value, inAttribute: true) + "\""
        }
        output += ">"
        if element.children.isEmpty {
            output += XMLWriter.escaped(element.text)
        } else {
            for child in element.children { write(child, into: &output) }
        }
        output += "</" + element.name + ">"
    }
}
