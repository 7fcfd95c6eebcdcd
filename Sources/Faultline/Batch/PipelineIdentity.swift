public import FaultlineRules
import FaultlineInput

/// Names the pipeline that produced a report precisely enough for `--resume`:
/// its name and a content hash of its YAML file and rule packs, so a changed
/// rule re-analyses the cases stored before it.
public enum PipelineIdentity {
    public static func of(_ knowledge: KnowledgeBase) -> String {
        let files = [knowledge.pipelineFile] + knowledge.packs.map(\.file)
        let fingerprint = CaseFingerprint.of(files.map(InputSource.path))
        return knowledge.pipelineName + "@" + fingerprint
    }
}
