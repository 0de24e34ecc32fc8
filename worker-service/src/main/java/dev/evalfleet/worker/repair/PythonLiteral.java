package dev.evalfleet.worker.repair;

/**
 * Recognises what Python's {@code ast.literal_eval} accepts, for one line of doctest output: numbers
 * (with a sign, complex with {@code j}), strings and bytes with their prefixes, {@code True},
 * {@code False}, {@code None}, and tuples, lists, sets and dicts of those.
 */
final class PythonLiteral {

    private final String text;
    private int at;

    private PythonLiteral(String text) {
        this.text = text;
    }

    static boolean isLiteral(String text) {
        if (text == null || text.isBlank()) {
            return false;
        }
        PythonLiteral parser = new PythonLiteral(text.strip());
        try {
            parser.value();
            parser.skipSpaces();
            return parser.at == parser.text.length();
        } catch (IllegalArgumentException notALiteral) {
            return false;
        }
    }

    private void value() {
        skipSpaces();
        if (at >= text.length()) {
            throw new IllegalArgumentException("end of input");
        }
        char c = text.charAt(at);
        switch (c) {
            case '[' -> sequence(']', false);
            case '(' -> sequence(')', false);
            case '{' -> sequence('}', true);
            case '-', '+' -> {
                at++;
                skipSpaces();
                number();
            }
            default -> {
                if (Character.isDigit(c) || c == '.') {
                    number();
                } else if (startsString()) {
                    string();
                } else {
                    keyword();
                }
            }
        }
    }

    private void sequence(char close, boolean mayBeDict) {
        at++;
        skipSpaces();
        if (peek(close)) {
            at++;
            return;
        }
        Boolean dict = null;
        while (true) {
            value();
            skipSpaces();
            if (mayBeDict && (dict == null || dict)) {
                boolean colon = peek(':');
                if (dict == null) {
                    dict = colon;
                }
                if (dict) {
                    expect(':');
                    value();
                    skipSpaces();
                }
            }
            if (peek(',')) {
                at++;
                skipSpaces();
                if (peek(close)) {
                    at++;
                    return;
                }
                continue;
            }
            expect(close);
            return;
        }
    }

    private void number() {
        int start = at;
        while (at < text.length()
                && (Character.isLetterOrDigit(text.charAt(at))
                        || "._".indexOf(text.charAt(at)) >= 0
                        || ((text.charAt(at) == '+' || text.charAt(at) == '-')
                                && at > start
                                && Character.toLowerCase(text.charAt(at - 1)) == 'e'
                                && !isHex(text.substring(start, at))))) {
            at++;
        }
        String number = text.substring(start, at).replace("_", "").toLowerCase();
        if (number.endsWith("j")) {
            number = number.substring(0, number.length() - 1);
        }
        if (!number.matches("0[xob][0-9a-f]+|\\d+|(\\d+\\.?\\d*|\\.\\d+)(e[+-]?\\d+)?|inf|nan")
                || number.equals("inf")
                || number.equals("nan")) {
            throw new IllegalArgumentException("not a number: " + number);
        }
    }

    private static boolean isHex(String text) {
        return text.toLowerCase().startsWith("0x");
    }

    private boolean startsString() {
        int i = at;
        while (i < text.length() && i - at < 2 && "rRbBuU".indexOf(text.charAt(i)) >= 0) {
            i++;
        }
        return i < text.length() && (text.charAt(i) == '\'' || text.charAt(i) == '"');
    }

    private void string() {
        boolean raw = false;
        while ("rRbBuU".indexOf(text.charAt(at)) >= 0) {
            raw |= Character.toLowerCase(text.charAt(at)) == 'r';
            at++;
        }
        char quote = text.charAt(at);
        boolean triple = text.startsWith(String.valueOf(quote).repeat(3), at);
        String closing = triple ? String.valueOf(quote).repeat(3) : String.valueOf(quote);
        at += closing.length();
        while (at < text.length()) {
            if (text.charAt(at) == '\\' && (!raw || at + 1 < text.length())) {
                at += 2;
                continue;
            }
            if (text.startsWith(closing, at)) {
                at += closing.length();
                return;
            }
            at++;
        }
        throw new IllegalArgumentException("unterminated string");
    }

    private void keyword() {
        for (String keyword : new String[] {"True", "False", "None"}) {
            if (text.startsWith(keyword, at)
                    && (at + keyword.length() == text.length()
                            || !Character.isLetterOrDigit(text.charAt(at + keyword.length()))
                                    && text.charAt(at + keyword.length()) != '_')) {
                at += keyword.length();
                return;
            }
        }
        throw new IllegalArgumentException("not a literal at " + at);
    }

    private boolean peek(char c) {
        return at < text.length() && text.charAt(at) == c;
    }

    private void expect(char c) {
        skipSpaces();
        if (!peek(c)) {
            throw new IllegalArgumentException("expected " + c + " at " + at);
        }
        at++;
    }

    private void skipSpaces() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
    }
}
