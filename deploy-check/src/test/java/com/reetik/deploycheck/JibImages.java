package com.reetik.deploycheck;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The image names and tags Jib gives the services, read from the jib-maven-plugin configuration in the root
 * pom.xml's pluginManagement (so compose and k8s are checked against what the build really pushes).
 *
 * @param imageTemplate the configured {@code <to><image>}, e.g. {@code reetik/${project.artifactId}}
 * @param tags          the configured tags with {@code ${project.version}} resolved
 */
record JibImages(String imageTemplate, Set<String> tags) {

    static JibImages fromRootPom() {
        Path pom = Repository.file("pom.xml");
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document doc = factory.newDocumentBuilder().parse(pom.toFile());
            Element project = doc.getDocumentElement();
            String version = text(child(project, "version"));
            Element jib = null;
            for (Element plugin : descendants(project, "plugin")) {
                if ("jib-maven-plugin".equals(text(child(plugin, "artifactId")))) {
                    jib = plugin;
                }
            }
            if (jib == null) {
                throw new IllegalStateException("no jib-maven-plugin in " + pom);
            }
            Element to = child(child(jib, "configuration"), "to");
            String image = text(child(to, "image"));
            Set<String> tags = new LinkedHashSet<>();
            for (Element tag : descendants(child(to, "tags"), "tag")) {
                tags.add(text(tag).replace("${project.version}", version));
            }
            return new JibImages(image, tags);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the Jib configuration from " + pom + ": " + e, e);
        }
    }

    /** The image Jib builds for a module, e.g. {@code reetik/gateway}. */
    String imageOf(String artifactId) {
        return imageTemplate.replace("${project.artifactId}", artifactId);
    }

    private static Element child(Element parent, String name) {
        if (parent != null) {
            for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e && name.equals(e.getTagName())) {
                    return e;
                }
            }
        }
        throw new IllegalStateException("no <" + name + "> in <" + (parent == null ? "?" : parent.getTagName()) + ">");
    }

    private static List<Element> descendants(Element parent, String name) {
        NodeList nodes = parent.getElementsByTagName(name);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add((Element) nodes.item(i));
        }
        return out;
    }

    private static String text(Element e) {
        return e.getTextContent().trim();
    }
}
