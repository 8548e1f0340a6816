package dev.kefurelay.inbox;

/**
 * One message of an inbox file as the splitter hands it out: its position in the file ({@code n}, 1-based: the line
 * of a {@code .jsonl}, the element of a {@code .json} array) and its text or, for a {@code .jsonl} line, its bytes,
 * which kefu-send decodes itself, so a line that is not UTF-8 fails alone as invalid-input.
 */
record Part(int n, Object body) {
}
