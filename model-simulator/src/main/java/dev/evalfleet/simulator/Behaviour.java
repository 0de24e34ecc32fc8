package dev.evalfleet.simulator;

import java.nio.charset.StandardCharsets;

/**
 * How the stand-in answers a matched problem. Sealed so that every behaviour is listed here and the
 * command line can name each; a new one (say, "wrong unless the prompt carries feedback of an
 * earlier failed attempt") is one more record that reads {@link Question#userMessage()}.
 */
public sealed interface Behaviour permits Behaviour.Reference, Behaviour.Mixed, Behaviour.FeedbackNeeded {

    /** The assistant message content for a question. */
    String answer(Question question);

    /** The behaviour named on the command line ({@code reference}, {@code mixed} or {@code feedback-needed}). */
    static Behaviour named(String name, int samples) {
        return switch (name) {
            case "reference" -> new Reference();
            case "mixed" -> new Mixed(samples);
            case "feedback-needed" -> new FeedbackNeeded();
            default ->
                throw new IllegalArgumentException(
                        "unknown behaviour '" + name + "', expected reference, mixed or feedback-needed");
        };
    }

    /** Always correct; rotates among answer shapes so answer extraction is exercised. */
    record Reference() implements Behaviour {

        @Override
        public String answer(Question question) {
            return Answers.correct(question.problem(), question.attempt());
        }
    }

    /**
     * Correct for a known number of the {@code samples} requests per problem, so a test can compute
     * the pass@k an evaluation must report: the i-th request for problem p (0-based) is correct iff
     * {@code i < expectedCorrect(p, samples)}. Requests beyond {@code samples} are wrong too.
     */
    record Mixed(int samples) implements Behaviour {

        public Mixed {
            if (samples < 1) {
                throw new IllegalArgumentException("samples must be at least 1, was " + samples);
            }
        }

        @Override
        public String answer(Question question) {
            Problem problem = question.problem();
            return question.attempt() < expectedCorrect(problem.taskId(), samples)
                    ? Answers.correct(problem, question.attempt())
                    : Answers.wrong(problem);
        }

        /**
         * How many of the first {@code n} samples of a problem are answered correctly: the 32-bit
         * FNV-1a hash of the UTF-8 bytes of {@code problemId}, read as unsigned, modulo {@code n + 1}.
         * So the result lies in {@code 0..n}, and is the same in every run and on every machine
         * (Python: {@code h = 0x811c9dc5; for b in id.encode(): h = ((h ^ b) * 0x01000193) & 0xffffffff;
         * return h % (n + 1)}).
         */
        public static int expectedCorrect(String problemId, int n) {
            int hash = 0x811c9dc5;
            for (byte b : problemId.getBytes(StandardCharsets.UTF_8)) {
                hash ^= b & 0xff;
                hash *= 0x01000193;
            }
            return Integer.remainderUnsigned(hash, n + 1);
        }
    }

    /**
     * Wrong unless the question is a self-repair re-prompt that carries the execution feedback of an
     * earlier failed attempt: the worker's template ({@code RepairPrompt}) shows the previous attempt
     * under {@value #PREVIOUS_ATTEMPT} and the feedback under {@value #FEEDBACK}. A model that needs
     * to see why it failed before it can fix the code; with it, a second turn is worth something and
     * a first turn alone is not.
     */
    record FeedbackNeeded() implements Behaviour {

        public static final String PREVIOUS_ATTEMPT = "Your previous attempt:";
        public static final String FEEDBACK = "Execution feedback:";

        @Override
        public String answer(Question question) {
            return carriesFeedback(question.userMessage())
                    ? Answers.correct(question.problem(), question.attempt())
                    : Answers.wrong(question.problem());
        }

        /** Whether the message shows a previous attempt and non-blank feedback on it. */
        public static boolean carriesFeedback(String userMessage) {
            int attempt = userMessage.indexOf(PREVIOUS_ATTEMPT);
            int feedback = userMessage.indexOf(FEEDBACK, Math.max(attempt, 0));
            if (attempt < 0 || feedback < 0) {
                return false;
            }
            String rest = userMessage.substring(feedback + FEEDBACK.length()).strip();
            return !rest.isEmpty();
        }
    }
}
