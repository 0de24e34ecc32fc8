package dev.evalfleet.contracts;

/** Where a problem came from, which decides how its prompt and program are built. */
public enum ProblemFormat {
    /** The prompt is a code prefix (signature and docstring); program = prompt + completion. */
    HUMAN_EVAL,
    /** The prompt is natural language; the program is the code the model wrote. */
    MBPP
}
