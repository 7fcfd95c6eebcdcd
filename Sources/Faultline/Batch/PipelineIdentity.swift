public import FaultlineRules

/// Names the pipeline that produced a report precisely enough for `--resume`:
/// its name and a content hash of its YAML file, catalogue and rule packs, so a
/// changed rule re-analyses the cases stored before it.
public enum PipelineIdentity {
    public static func of(_ knowledge: KnowledgeBase) -> String {
        knowledge.rulesVersion
    }
}
