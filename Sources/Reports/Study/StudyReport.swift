import Figures
import TransformerMath

/// The built-in Transformer study report: course notes written for Transfigure, with every
/// number and figure computed by `TransformerMath` when the report is written.
public enum StudyReport {
    /// The report model.
    public static func make() throws -> Report {
        Report(
            title: "Transformers, computed",
            subtitle: "A study report on the mathematics of Transformer models. Every number and figure below is computed from the formulas it illustrates.",
            sections: [
                try PerceptronSection.make(), try GradientSection.make(), try RecurrentSection.make(), try EmbeddingSection.make(),
                try AttentionSection.make(), try SoftmaxSection.make(), try ScalingSection.make(), try MultiHeadSection.make(),
                try PositionSection.make(), try RoPESection.make(), try NormalisationSection.make(), try BlockSection.make(),
                try CostSection.make(), try ModelFamiliesSection.make(), try DecodingSection.make(),
            ]
        )
    }

    /// Writes the report to `folder` (`index.html`, `index.md`, `figures/`), replacing any previous one.
    public static func write(to folder: String, templates: String? = nil) throws {
        try ReportWriter(templates: try TemplateSet(directory: templates)).write(try make(), to: folder)
    }
}
