package dev.kefurelay.sandbox;

/**
 * A file WeCom's media/upload accepted.
 *
 * @param type     image, voice, video or file
 * @param bytes    the content's size
 * @param filename the multipart part's {@code filename} as it arrived: what a file message shows the customer
 */
public record KfUpload(String corpid, String type, String mediaId, int bytes, String filename) {
}
