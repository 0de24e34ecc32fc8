package dev.evalfleet.worker.extraction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.evalfleet.contracts.ProblemFormat;
import dev.evalfleet.contracts.ProblemPayload;
import dev.evalfleet.contracts.TestSuite;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompletionExtractorTests {

    private static final String FUNCTION = """
            def has_close_elements(numbers: List[float], threshold: float) -> bool:
                for i, a in enumerate(numbers):
                    for j, b in enumerate(numbers):
                        if i != j and abs(a - b) < threshold:
                            return True
                return False
            """;

    private static final String BODY = """
            for i, a in enumerate(numbers):
                for j, b in enumerate(numbers):
                    if i != j and abs(a - b) < threshold:
                        return True
            return False
            """;

    private final CompletionExtractor extractor = new CompletionExtractor();

    @Test
    void referenceBodyIsTheCompletionUnchanged() {
        Completion completion = extractor.extract(HumanEvalZero.problem(), HumanEvalZero.CANONICAL_SOLUTION);

        assertThat(completion.completion()).isEqualTo(HumanEvalZero.CANONICAL_SOLUTION);
        assertThat(completion.program()).isEqualTo(HumanEvalZero.PROMPT + HumanEvalZero.CANONICAL_SOLUTION);
        assertPasses(completion);
    }

    @Test
    void wholeFunctionInPythonFenceWithProseAroundIsAppendedAfterThePrompt() {
        String answer = "Here is the completed function:\n\n```python\nfrom typing import List\n\n" + FUNCTION
                + "```\n\nThis compares every pair of numbers, so it runs in O(n^2).\n";

        Completion completion = extractor.extract(HumanEvalZero.problem(), answer);

        assertThat(completion.completion()).isEqualTo("\nfrom typing import List\n\n" + FUNCTION);
        assertThat(completion.program()).startsWith(HumanEvalZero.PROMPT);
        assertPasses(completion);
    }

    @Test
    void wholeFunctionWithoutImportsUsesThePromptsImports() {
        assertPasses(extractor.extract(HumanEvalZero.problem(), "```python\n" + FUNCTION + "```"));
    }

    @Test
    void pyFenceIsRecognised() {
        Completion completion = extractor.extract(HumanEvalZero.problem(), "```py\n" + FUNCTION + "```\n");

        assertThat(completion.completion()).isEqualTo("\n" + FUNCTION);
        assertPasses(completion);
    }

    @Test
    void fenceWithoutLanguageIsRecognised() {
        assertPasses(extractor.extract(HumanEvalZero.problem(), "Solution:\n```\n" + FUNCTION + "```\nDone."));
    }

    @Test
    void unterminatedFenceKeepsWhatCameBeforeTheCutOff() {
        Completion completion = extractor.extract(HumanEvalZero.problem(), "```python\n" + FUNCTION);

        assertThat(completion.completion()).isEqualTo("\n" + FUNCTION);
        assertPasses(completion);
    }

    @Test
    void unindentedBodyIsIndentedToTheFunctionsLevel() {
        Completion completion = extractor.extract(HumanEvalZero.problem(), "```python\n" + BODY + "```");

        assertThat(completion.completion()).startsWith("    for i, a in enumerate(numbers):\n");
        assertPasses(completion);
    }

    @Test
    void bodyWhoseFirstLineLostItsIndentKeepsItsBlockStructure() {
        String answer = """
                for i, a in enumerate(numbers):
                        for j, b in enumerate(numbers):
                            if i != j and abs(a - b) < threshold:
                                return True
                    return False
                """;

        Completion completion = extractor.extract(HumanEvalZero.problem(), answer);

        assertThat(completion.completion()).startsWith("    for i, a in enumerate(numbers):\n        for j");
        assertPasses(completion);
    }

    @Test
    void bodyThatRepeatsTheDocstringStillRuns() {
        String answer = "```python\n    \"\"\" Check if in given list of numbers, are any two numbers closer\n"
                + "    than given threshold.\n    \"\"\"\n" + BODY.indent(4) + "```";

        assertPasses(extractor.extract(HumanEvalZero.problem(), answer));
    }

    @Test
    void bodyIndentedTwiceIsBroughtBackToTheFunctionsLevel() {
        Completion completion = extractor.extract(HumanEvalZero.problem(), BODY.indent(8));

        assertThat(completion.completion()).startsWith("    for i");
        assertPasses(completion);
    }

    @Test
    void bareFunctionBetweenProseIsFoundWithoutAFence() {
        String answer = "Sure! The function below checks all pairs.\n\n" + FUNCTION
                + "\nIt returns True as soon as two numbers are closer than the threshold.\n";

        Completion completion = extractor.extract(HumanEvalZero.problem(), answer);

        assertThat(completion.completion()).isEqualTo("\n" + FUNCTION);
        assertPasses(completion);
    }

    @Test
    void fenceDefiningTheEntryPointWinsOverExampleFences() {
        String answer = "Usage first:\n```python\nprint(has_close_elements([1.0, 2.0], 0.5))\n```\n"
                + "The implementation:\n```python\n" + FUNCTION + "```\n"
                + "Tests:\n```python\nassert has_close_elements([1.0, 1.1], 0.5)\nprint('ok')\n```\n";

        Completion completion = extractor.extract(HumanEvalZero.problem(), answer);

        assertThat(completion.completion()).isEqualTo("\n" + FUNCTION);
        assertPasses(completion);
    }

    @Test
    void mainBlockIsStripped() {
        String answer = "```python\n" + FUNCTION + "\n\nif __name__ == \"__main__\":\n"
                + "    print(has_close_elements([1.0, 2.0], 0.5))\n    raise SystemExit(1)\n```";

        Completion completion = extractor.extract(HumanEvalZero.problem(), answer);

        assertThat(completion.completion()).doesNotContain("__main__").doesNotContain("SystemExit");
        assertPasses(completion);
    }

    @Test
    void tabIndentationIsTurnedIntoSpaces() {
        String answer = "```python\n" + FUNCTION.replace("    ", "\t") + "```";

        Completion completion = extractor.extract(HumanEvalZero.problem(), answer);

        assertThat(completion.completion()).doesNotContain("\t");
        assertPasses(completion);
    }

    @Test
    void thinkingIsIgnored() {
        String answer =
                "<think>\nMaybe:\n```python\ndef has_close_elements(numbers, threshold):\n    return None\n```\n"
                        + "No, that is wrong.\n</think>\n```python\n" + FUNCTION + "```";

        Completion completion = extractor.extract(HumanEvalZero.problem(), answer);

        assertThat(completion.completion()).doesNotContain("return None");
        assertPasses(completion);
    }

    @Test
    void outputFencesAreNotTakenForCode() {
        String answer = "```python\n" + FUNCTION + "```\nOutput:\n```text\nTrue\nFalse\n```";

        assertPasses(extractor.extract(HumanEvalZero.problem(), answer));
    }

    @Test
    void uniformlyIndentedFunctionIsDedented() {
        Completion completion = extractor.extract(HumanEvalZero.problem(), "```python\n" + FUNCTION.indent(4) + "```");

        assertThat(completion.completion()).startsWith("\ndef has_close_elements(");
        assertPasses(completion);
    }

    @Test
    void windowsLineEndingsAreNormalised() {
        Completion completion =
                extractor.extract(HumanEvalZero.problem(), ("```python\n" + FUNCTION + "```\n").replace("\n", "\r\n"));

        assertThat(completion.completion()).doesNotContain("\r");
        assertPasses(completion);
    }

    @Test
    void functionWithHelperDefinedBeforeItIsKeptWhole() {
        String answer = """
                ```python
                def _close(a: float, b: float, threshold: float) -> bool:
                    return abs(a - b) < threshold


                def has_close_elements(numbers: List[float], threshold: float) -> bool:
                    return any(_close(a, b, threshold)
                               for i, a in enumerate(numbers)
                               for j, b in enumerate(numbers) if i != j)
                ```
                """;

        assertPasses(extractor.extract(HumanEvalZero.problem(), answer));
    }

    @Test
    void multiLineSignatureIsNotMistakenForALostIndent() {
        String answer = """
                def has_close_elements(numbers: List[float],
                                       threshold: float) -> bool:
                    return any(abs(a - b) < threshold
                               for i, a in enumerate(numbers) for j, b in enumerate(numbers) if i != j)
                """;

        assertPasses(extractor.extract(HumanEvalZero.problem(), answer));
    }

    @Test
    void promptHelpersStayInScopeWhenTheAnswerRedefinesTheEntryPoint() {
        String prompt = """
                def is_palindrome(string: str) -> bool:
                    \""" Test if given string is a palindrome \"""
                    return string == string[::-1]


                def make_palindrome(string: str) -> str:
                    \""" Find the shortest palindrome that begins with a supplied string.
                    >>> make_palindrome('cat')
                    'catac'
                    \"""
                """;
        String answer = """
                ```python
                def make_palindrome(string: str) -> str:
                    if not string:
                        return ''
                    beginning_of_suffix = 0
                    while not is_palindrome(string[beginning_of_suffix:]):
                        beginning_of_suffix += 1
                    return string + string[:beginning_of_suffix][::-1]
                ```
                """;
        ProblemPayload problem =
                new ProblemPayload("HumanEval/10", ProblemFormat.HUMAN_EVAL, prompt, "make_palindrome", null, null);

        Completion completion = extractor.extract(problem, answer);

        assertThat(Python.run(completion.program() + "\nassert make_palindrome('cat') == 'catac'\n")
                        .exitCode())
                .isZero();
    }

    @Test
    void emptyAnswerYieldsThePromptAlone() {
        Completion completion = extractor.extract(HumanEvalZero.problem(), "");

        assertThat(completion.completion()).isEmpty();
        assertThat(completion.program()).isEqualTo(HumanEvalZero.PROMPT);
    }

    @Test
    void mbppProgramIsTheExtractedCodeItself() {
        ProblemPayload problem = mbpp();
        String answer = "Here you go:\n```python\nimport math\n\ndef first_repeated_char(str1):\n"
                + "    for index, c in enumerate(str1):\n        if str1[:index + 1].count(c) > 1:\n"
                + "            return c\n    return \"None\"\n```\nExplanation: we scan once.";

        Completion completion = extractor.extract(problem, answer);

        assertThat(completion.program()).isEqualTo(completion.completion()).startsWith("import math\n");
        assertThat(completion.program()).doesNotContain("Explanation").doesNotContain("```");
        assertThat(Python.run(mbppChecked(completion.program())).exitCode()).isZero();
    }

    @Test
    void mbppReferenceCodeWithWindowsLineEndingsRuns() {
        String reference = "def first_repeated_char(str1):\r\n  for index,c in enumerate(str1):\r\n"
                + "    if str1[:index+1].count(c) > 1:\r\n      return c \r\n  return \"None\"";

        Completion completion = extractor.extract(mbpp(), reference);

        assertThat(Python.run(mbppChecked(completion.program())).exitCode()).isZero();
    }

    @Test
    void proseLinesAreNotTakenForCode() {
        assertThat(CompletionExtractor.looksLikeCode("Here is the code:")).isFalse();
        assertThat(CompletionExtractor.looksLikeCode("for each pair we compare the distance."))
                .isFalse();
        assertThat(CompletionExtractor.looksLikeCode("This uses sorted() on the list."))
                .isFalse();
        assertThat(CompletionExtractor.looksLikeCode("result = []")).isTrue();
        assertThat(CompletionExtractor.looksLikeCode("from typing import List")).isTrue();
        assertThat(CompletionExtractor.looksLikeCode("for x in xs:")).isTrue();
    }

    @Test
    void bodyIndentComesFromTheDocstring() {
        assertThat(CompletionExtractor.bodyIndent(HumanEvalZero.PROMPT, HumanEvalZero.ENTRY_POINT))
                .isEqualTo("    ");
        assertThat(CompletionExtractor.bodyIndent("def f(x):\n", "f")).isEqualTo("    ");
    }

    private static ProblemPayload mbpp() {
        List<String> asserts = List.of(
                "assert first_repeated_char(\"abcabc\") == \"a\"",
                "assert first_repeated_char(\"abc\") == \"None\"",
                "assert first_repeated_char(\"123123\") == \"1\"");
        return new ProblemPayload(
                "mbpp/602",
                ProblemFormat.MBPP,
                "Write a python function to find the first repeated character in a given string.",
                "first_repeated_char",
                TestSuite.asserts("", asserts, "first_repeated_char"),
                null);
    }

    private static String mbppChecked(String program) {
        return program + "\n" + String.join("\n", mbpp().tests().asserts()) + "\n";
    }

    private static void assertPasses(Completion completion) {
        Python.Run run = Python.run(HumanEvalZero.checked(completion.program()));
        assertThat(run.exitCode())
                .as("program should pass HumanEval/0:\n%s\n--- python said:\n%s", completion.program(), run.output())
                .isZero();
    }
}
