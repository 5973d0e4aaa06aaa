import Foundation
import TestSupport
import Testing
@testable import Reports

/// Templates are loaded strictly: a missing file or an unknown key is an error naming the file.
@Suite("template set")
struct TemplateSetTests {
    /// A copy of the real templates in a scratch folder, optionally edited.
    static func copyOfTemplates(into dir: URL, editing name: String? = nil, _ edit: (String) -> String = { $0 }) throws {
        for file in [ReportsTestSupport.htmlTemplate, ReportsTestSupport.markdownTemplate] {
            var text = try String(contentsOf: ReportsTestSupport.templates.appendingPathComponent(file), encoding: .utf8)
            if file == name { text = edit(text) }
            try text.write(to: dir.appendingPathComponent(file), atomically: true, encoding: .utf8)
        }
    }

    @Test("the real templates load")
    func realTemplatesLoad() throws {
        _ = try TemplateSet(directory: ReportsTestSupport.templates.path)
        // An unmodified copy loads just the same.
        try TemporaryDirectory.with { dir in
            try Self.copyOfTemplates(into: dir)
            _ = try TemplateSet(directory: dir.path)
        }
    }

    @Test("a missing template file is an error naming it", arguments: [ReportsTestSupport.htmlTemplate, ReportsTestSupport.markdownTemplate])
    func missingTemplate(_ name: String) throws {
        try TemporaryDirectory.with { dir in
            try Self.copyOfTemplates(into: dir)
            try FileManager.default.removeItem(at: dir.appendingPathComponent(name))
            let error = #expect(throws: ReportError.self) { try TemplateSet(directory: dir.path) }
            guard case .templates(let message)? = error else {
                Issue.record("expected a templates error, got \(String(describing: error))")
                return
            }
            #expect(message.contains(dir.appendingPathComponent(name).path), "\(message)")
            #expect(message.contains("missing"), "\(message)")
        }
    }

    @Test("a folder with no templates is an error naming the HTML template")
    func emptyFolder() throws {
        try TemporaryDirectory.with { dir in
            let error = #expect(throws: ReportError.self) { try TemplateSet(directory: dir.path) }
            #expect(error?.description.contains(ReportsTestSupport.htmlTemplate) == true, "\(String(describing: error))")
        }
    }

    /// Ways to name an unknown key, in each template.
    static let unknownKeys: [(file: String, tag: String)] = [
        (ReportsTestSupport.htmlTemplate, "{{nope}}"),
        (ReportsTestSupport.htmlTemplate, "{{{nope}}}"),
        (ReportsTestSupport.htmlTemplate, "{{#nope}}x{{/nope}}"),
        (ReportsTestSupport.htmlTemplate, "{{^nope}}x{{/nope}}"),
        (ReportsTestSupport.htmlTemplate, "{{& nope }}"),
        (ReportsTestSupport.markdownTemplate, "{{nope}}"),
        (ReportsTestSupport.markdownTemplate, "{{#sections}}{{nope}}{{/sections}}"),
    ]

    @Test("an unknown key is an error naming the file and the key", arguments: unknownKeys)
    func unknownKey(_ file: String, _ tag: String) throws {
        try TemporaryDirectory.with { dir in
            try Self.copyOfTemplates(into: dir, editing: file) { $0 + "\n" + tag + "\n" }
            let error = #expect(throws: ReportError.self) { try TemplateSet(directory: dir.path) }
            guard case .templates(let message)? = error else {
                Issue.record("expected a templates error, got \(String(describing: error))")
                return
            }
            #expect(message.contains(file), "\(message)")
            #expect(message.contains("'nope'"), "\(message)")
        }
    }

    @Test("a comment or a known key is not an error")
    func commentsAndKnownKeys() throws {
        try TemporaryDirectory.with { dir in
            try Self.copyOfTemplates(into: dir, editing: ReportsTestSupport.htmlTemplate) {
                $0 + "\n{{! nope is only mentioned in a comment }}\n{{generator}}\n"
            }
            _ = try TemplateSet(directory: dir.path)
        }
    }

    @Test("a malformed template is an error naming the file")
    func malformedTemplate() throws {
        try TemporaryDirectory.with { dir in
            try Self.copyOfTemplates(into: dir, editing: ReportsTestSupport.markdownTemplate) { $0 + "\n{{#sections}}\nunclosed\n" }
            let error = #expect(throws: ReportError.self) { try TemplateSet(directory: dir.path) }
            #expect(error?.description.contains(ReportsTestSupport.markdownTemplate) == true, "\(String(describing: error))")
        }
    }

    @Test("tag names are read from every tag form")
    func tagNames() {
        let names = TemplateSet.tagNames(in: "{{a}} {{{b}}} {{#c}}{{/c}} {{^d}}{{/d}} {{& e}} {{! f}} {{> g}} {{.}} {{=<% %>=}}")
        #expect(names == ["a", "b", "c", "c", "d", "d", "e"])
    }
}
