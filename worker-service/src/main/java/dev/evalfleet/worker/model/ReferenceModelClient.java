package dev.evalfleet.worker.model;

/**
 * Answers with the problem's reference solution, with no server involved. A correct harness must
 * score it pass@1 = 1.0, which makes it the self-check of prompting, extraction and scoring.
 */
class ReferenceModelClient implements ModelClient {

    @Override
    public ModelAnswer answer(ModelRequest request) {
        String solution = request.problem().referenceSolution();
        if (solution == null) {
            throw new IllegalArgumentException("problem %s carries no reference solution"
                    .formatted(request.problem().problemId()));
        }
        return new ModelAnswer(solution, null, null, 0);
    }
}
