package dev.evalfleet.simulator;

import tools.jackson.databind.JsonNode;

/**
 * What the stand-in needs from an Ollama or OpenAI chat request.
 *
 * @param model the model the client asked for, echoed back
 * @param lastUserMessage text of the last message with role {@code user}, empty if there is none
 * @param promptChars characters over all messages, for the estimated prompt token count
 * @param stream whether the client asked for a streamed answer, which the stand-in does not give
 */
record ChatRequest(String model, String lastUserMessage, int promptChars, boolean stream) {

    static ChatRequest from(JsonNode body, String defaultModel) {
        JsonNode messages = body.path("messages");
        if (!messages.isArray()) {
            throw new BadRequestException("'messages' must be an array");
        }
        String lastUserMessage = "";
        int promptChars = 0;
        for (JsonNode message : messages) {
            String text = textOf(message.path("content"));
            promptChars += text.length();
            if ("user".equals(message.path("role").asString(""))) {
                lastUserMessage = text;
            }
        }
        // Ollama and OpenAI both default to streaming, but our clients always ask for a whole answer;
        // a missing flag is read as non-streaming so bare curl calls work.
        boolean stream = body.path("stream").asBoolean(false);
        return new ChatRequest(body.path("model").asString(defaultModel), lastUserMessage, promptChars, stream);
    }

    // OpenAI allows content as a list of parts; only the text parts matter here.
    private static String textOf(JsonNode content) {
        if (content.isString()) {
            return content.stringValue();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            text.append(part.path("text").asString(""));
        }
        return text.toString();
    }
}
