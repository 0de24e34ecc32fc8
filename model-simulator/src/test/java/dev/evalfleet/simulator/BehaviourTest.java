package dev.evalfleet.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BehaviourTest {

    @Test
    void expectedCorrectIsTheDocumentedFnv1aHashModuloSamplesPlusOne() {
        // values computed independently with the Python snippet in the Javadoc
        assertThat(Behaviour.Mixed.expectedCorrect("HumanEval/0", 1)).isEqualTo(1);
        assertThat(Behaviour.Mixed.expectedCorrect("HumanEval/0", 5)).isEqualTo(3);
        assertThat(Behaviour.Mixed.expectedCorrect("HumanEval/0", 10)).isEqualTo(7);
        assertThat(Behaviour.Mixed.expectedCorrect("HumanEval/163", 10)).isEqualTo(3);
        assertThat(Behaviour.Mixed.expectedCorrect("Sample/0", 5)).isEqualTo(2);
    }

    @Test
    void expectedCorrectStaysWithinZeroToSamples() {
        for (int i = 0; i < 500; i++) {
            assertThat(Behaviour.Mixed.expectedCorrect("Problem/" + i, 3)).isBetween(0, 3);
        }
    }

    @Test
    void mixedAnswersBeyondTheSamplesAreWrong() {
        Problem problem = TinyDataset.ADD_WITH_IMPORT; // expectedCorrect is 5 of 5
        Behaviour mixed = new Behaviour.Mixed(5);

        assertThat(mixed.answer(new Question(problem, problem.prompt(), 4))).doesNotContain(Answers.WRONG_ANSWER_ERROR);
        assertThat(mixed.answer(new Question(problem, problem.prompt(), 5))).contains(Answers.WRONG_ANSWER_ERROR);
    }

    @Test
    void wrongAnswerIsTheWholeFunctionWithARaisingBody() {
        String wrong = Answers.wrong(TinyDataset.ADD_WITH_IMPORT);

        assertThat(wrong)
                .contains("```python\nimport math\n")
                .contains("def add(a: int, b: int) -> int:")
                .contains("    raise ValueError(\"stand-in wrong answer\")\n```")
                .doesNotContain("return a + b");
    }

    @Test
    void behaviourIsNamedOnTheCommandLine() {
        assertThat(Behaviour.named("reference", 5)).isEqualTo(new Behaviour.Reference());
        assertThat(Behaviour.named("mixed", 7)).isEqualTo(new Behaviour.Mixed(7));
        assertThat(Behaviour.named("feedback-needed", 7)).isEqualTo(new Behaviour.FeedbackNeeded());
        assertThatThrownBy(() -> Behaviour.named("clever", 5)).hasMessageContaining("clever");
        assertThatThrownBy(() -> new Behaviour.Mixed(0)).hasMessageContaining("samples");
    }

    @Test
    void feedbackNeededIsWrongUntilTheRepromptCarriesFeedback() {
        Problem problem = TinyDataset.ADD_WITH_IMPORT;
        Behaviour behaviour = new Behaviour.FeedbackNeeded();
        String reprompt = problem.prompt() + "\nYour previous attempt:\n```python\n...\n```\n"
                + "Execution feedback:\nTest 1 of 1 failed: assert add(1, 2) == 3\nValueError: stand-in wrong answer\n";
        String emptyFeedback =
                problem.prompt() + "\nYour previous attempt:\n```python\n...\n```\nExecution feedback:\n  \n";

        assertThat(behaviour.answer(new Question(problem, problem.prompt(), 0))).contains(Answers.WRONG_ANSWER_ERROR);
        assertThat(behaviour.answer(new Question(problem, problem.prompt(), 7))).contains(Answers.WRONG_ANSWER_ERROR);
        assertThat(behaviour.answer(new Question(problem, emptyFeedback, 1))).contains(Answers.WRONG_ANSWER_ERROR);
        assertThat(behaviour.answer(new Question(problem, reprompt, 1)))
                .doesNotContain(Answers.WRONG_ANSWER_ERROR)
                .contains("math.fsum([a, b])");
    }
}
