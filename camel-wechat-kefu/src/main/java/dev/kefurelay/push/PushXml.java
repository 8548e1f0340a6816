package dev.kefurelay.push;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Reads WeChat's push XML ({@code <xml><Field>value</Field>…</xml>}) into a map, element name to text, or to a
 * nested map for an element with children (e.g. {@code ScanCodeInfo}). Hardened: a DOCTYPE is refused (so no
 * entity of any kind, internal or external, and no DTD fetched), XInclude is off, and the input is limited in
 * size before parsing. The texts of refusals never quote the input.
 */
public final class PushXml {

    /** What WeChat sends is a few KB; a large limit still stops a body meant to exhaust memory. */
    public static final int DEFAULT_MAX_BYTES = 64 * 1024;

    private static final DocumentBuilderFactory FACTORY = factory();

    private PushXml() {
    }

    private static DocumentBuilderFactory factory() {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            f.setNamespaceAware(false);
            return f;
        } catch (ParserConfigurationException | IllegalArgumentException e) {
            throw new IllegalStateException("the JDK's XML parser lacks a hardening feature: " + e.getMessage(), e);
        }
    }

    public static Map<String, Object> parse(String xml, int maxBytes) {
        return parse(xml.getBytes(StandardCharsets.UTF_8), maxBytes);
    }

    /** @throws PushRefusedException MALFORMED or TOO_LARGE */
    public static Map<String, Object> parse(byte[] xml, int maxBytes) {
        if (xml.length > maxBytes) {
            throw new PushRefusedException(PushRefusedException.Why.TOO_LARGE,
                    "push XML of " + xml.length + " bytes is larger than the limit of " + maxBytes);
        }
        if (xml.length == 0) {
            throw new PushRefusedException(PushRefusedException.Why.MALFORMED, "the push body is empty");
        }
        Element root;
        try {
            DocumentBuilder builder;
            synchronized (FACTORY) {
                builder = FACTORY.newDocumentBuilder();
            }
            // the parser prints fatal errors to stderr by default, quoting the input
            builder.setErrorHandler(null);
            root = builder.parse(new ByteArrayInputStream(xml)).getDocumentElement();
        } catch (Exception e) {
            // the parser's text may quote the input (a ticket, a code): say only where it stopped
            throw new PushRefusedException(PushRefusedException.Why.MALFORMED, "the push body is not well-formed XML"
                    + (e instanceof org.xml.sax.SAXParseException p && p.getLineNumber() > 0
                            ? " (line " + p.getLineNumber() + ", column " + p.getColumnNumber() + ")" : "")
                    + (e.getMessage() != null && e.getMessage().contains("DOCTYPE") ? ": a DOCTYPE is not allowed" : ""));
        }
        if (!"xml".equals(root.getTagName())) {
            throw new PushRefusedException(PushRefusedException.Why.MALFORMED,
                    "the push XML's root element is <" + root.getTagName() + ">, not <xml>");
        }
        return fields(root);
    }

    private static Map<String, Object> fields(Element parent) {
        Map<String, Object> out = new LinkedHashMap<>();
        NodeList children = parent.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element e) {
                out.put(e.getTagName(), hasElementChildren(e) ? fields(e) : e.getTextContent());
            }
        }
        return out;
    }

    private static boolean hasElementChildren(Element e) {
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n.getNodeType() == Node.ELEMENT_NODE) {
                return true;
            }
        }
        return false;
    }

    /** A text field, or null when absent or not text. */
    public static String text(Map<String, Object> fields, String name) {
        return fields.get(name) instanceof String s ? s.strip() : null;
    }
}
