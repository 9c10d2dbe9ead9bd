package dev.llmplan.planfile;

/**
 * One requirement checked for one entry: its plan-file name ("fits" is implicit), the required and the
 * estimated value as numbers in the requirement's unit ("fits": capacity and used bytes of the fullest
 * card; null when unknown), whether it passed, and a sentence saying by how much when it failed.
 */
public record RequirementResult(String requirement, Object required, Object actual, boolean passed, String message) {
}
