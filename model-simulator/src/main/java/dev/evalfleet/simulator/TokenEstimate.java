package dev.evalfleet.simulator;

/** Token counts for usage fields, estimated as one token per four characters. */
record TokenEstimate(int prompt, int completion) {

    static TokenEstimate of(int promptChars, String completion) {
        return new TokenEstimate(tokens(promptChars), tokens(completion.length()));
    }

    int total() {
        return prompt + completion;
    }

    private static int tokens(int chars) {
        return (chars + 3) / 4;
    }
}
