package dev.kefurelay.push;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * WeChat's message encryption (WXBizMsgCrypt): AES-256-CBC with key = Base64(EncodingAESKey + "="), IV = the
 * key's first 16 bytes, PKCS#7 padding to 32-byte blocks (pads of up to 32 bytes, which Java's PKCS5Padding
 * refuses above 16: hence NoPadding and our own padding); plaintext = 16 random bytes, the message's length
 * (4 bytes, big-endian), the message (UTF-8), the receive id (the appid). {@code msg_signature} is the SHA-1 of
 * token, timestamp, nonce and the ciphertext, sorted and concatenated.
 *
 * <p>A previous EncodingAESKey may be given: during a key change WeChat may still push with the old one, so a
 * push the current key cannot open is tried with it. {@link #toString()} names no token and no key.
 */
public final class PushCrypto {

    private static final int BLOCK = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String token;
    private final List<SecretKeySpec> keys;
    private final String receiveId;

    /**
     * @param token          the push token configured at WeChat
     * @param aesKey         the 43-character EncodingAESKey, or null for plaintext mode (signature only)
     * @param previousAesKey the EncodingAESKey before a change, or null
     * @param receiveId      the appid expected at the end of each plaintext (the platform's in component mode)
     * @param keyName        the property the key comes from, for error texts
     */
    public PushCrypto(String token, String aesKey, String previousAesKey, String receiveId, String keyName) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException(keyName + ": the push token is empty");
        }
        this.token = token;
        this.receiveId = receiveId;
        List<SecretKeySpec> k = new ArrayList<>();
        if (aesKey != null && !aesKey.isBlank()) {
            k.add(key(aesKey, keyName));
            if (previousAesKey != null && !previousAesKey.isBlank()) {
                k.add(key(previousAesKey, keyName + " (previous)"));
            }
        }
        this.keys = List.copyOf(k);
    }

    private static SecretKeySpec key(String encodingAesKey, String keyName) {
        String k = encodingAesKey.strip();
        byte[] raw;
        try {
            raw = k.length() == 43 ? Base64.getDecoder().decode(k + "=") : null;
        } catch (IllegalArgumentException e) {
            raw = null;
        }
        if (raw == null || raw.length != 32) {
            throw new IllegalArgumentException(keyName + " is not an EncodingAESKey (43 characters of Base64, as "
                    + "WeChat shows it)");
        }
        return new SecretKeySpec(raw, "AES");
    }

    /** Whether pushes are encrypted (an EncodingAESKey is set), else plaintext mode. */
    public boolean encrypted() {
        return !keys.isEmpty();
    }

    public String receiveId() {
        return receiveId;
    }

    /** SHA-1 hex of the parts sorted and concatenated: WeChat's {@code signature} and {@code msg_signature}. */
    public static String signature(String... parts) {
        String[] sorted = parts.clone();
        Arrays.sort(sorted);
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            for (String part : sorted) {
                sha1.update(part.getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha1.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
    }

    /** Plaintext mode and GET URL verification: {@code signature} over token, timestamp and nonce. */
    public void checkSignature(String signature, String timestamp, String nonce) {
        require("signature", signature);
        require("timestamp", timestamp);
        require("nonce", nonce);
        if (!constantTimeEquals(signature(token, timestamp, nonce), signature)) {
            throw new PushRefusedException(PushRefusedException.Why.BAD_SIGNATURE,
                    "signature does not match the push token");
        }
    }

    /** Checks {@code msg_signature}, then decrypts and checks the receive id; returns the message. */
    public String decrypt(String msgSignature, String timestamp, String nonce, String encrypt) {
        require("msg_signature", msgSignature);
        require("timestamp", timestamp);
        require("nonce", nonce);
        require("Encrypt", encrypt);
        if (!constantTimeEquals(signature(token, timestamp, nonce, encrypt), msgSignature)) {
            throw new PushRefusedException(PushRefusedException.Why.BAD_SIGNATURE,
                    "msg_signature does not match the push token and the encrypted text");
        }
        if (keys.isEmpty()) {
            throw new PushRefusedException(PushRefusedException.Why.UNDECRYPTABLE,
                    "the push is encrypted but no EncodingAESKey is configured for it");
        }
        byte[] cipherText;
        try {
            cipherText = Base64.getDecoder().decode(encrypt.strip());
        } catch (IllegalArgumentException e) {
            throw new PushRefusedException(PushRefusedException.Why.UNDECRYPTABLE, "Encrypt is not Base64");
        }
        PushRefusedException first = null;
        for (SecretKeySpec key : keys) {
            try {
                return open(key, cipherText);
            } catch (PushRefusedException e) {
                // a wrong key yields garbage: a bad pad, a length past the end or another appid
                if (first == null) {
                    first = e;
                }
            }
        }
        throw first;
    }

    private String open(SecretKeySpec key, byte[] cipherText) {
        if (cipherText.length == 0 || cipherText.length % 16 != 0) {
            throw new PushRefusedException(PushRefusedException.Why.UNDECRYPTABLE,
                    "Encrypt is not a whole number of AES blocks");
        }
        byte[] plain;
        try {
            plain = cipher(Cipher.DECRYPT_MODE, key).doFinal(cipherText);
        } catch (GeneralSecurityException e) {
            throw new PushRefusedException(PushRefusedException.Why.UNDECRYPTABLE, "Encrypt cannot be decrypted");
        }
        int pad = plain[plain.length - 1] & 0xff;
        if (pad < 1 || pad > BLOCK || pad > plain.length) {
            throw new PushRefusedException(PushRefusedException.Why.UNDECRYPTABLE,
                    "Encrypt does not decrypt with this EncodingAESKey (bad padding)");
        }
        int end = plain.length - pad;
        if (end < 20) {
            throw new PushRefusedException(PushRefusedException.Why.UNDECRYPTABLE, "decrypted text is too short");
        }
        int length = ByteBuffer.wrap(plain, 16, 4).getInt();
        if (length < 0 || 20 + length > end) {
            throw new PushRefusedException(PushRefusedException.Why.UNDECRYPTABLE,
                    "Encrypt does not decrypt with this EncodingAESKey (length out of range)");
        }
        String message = new String(plain, 20, length, StandardCharsets.UTF_8);
        String from = new String(plain, 20 + length, end - 20 - length, StandardCharsets.UTF_8);
        if (receiveId != null && !receiveId.equals(from)) {
            // the decrypted appid is not secret, and says which account's key this was
            throw new PushRefusedException(PushRefusedException.Why.BAD_RECEIVE_ID,
                    "the push is for appid '" + from + "', expected '" + receiveId + "'");
        }
        return message;
    }

    /** Encrypts as WeChat does, with a random prefix: the sandbox's pushes and encrypted replies. */
    public Encrypted encrypt(String message, String timestamp, String nonce) {
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        return encrypt(message, timestamp, nonce, random);
    }

    /** @param random16 the 16 bytes before the length: fixed in tests, to compare with published vectors */
    public Encrypted encrypt(String message, String timestamp, String nonce, byte[] random16) {
        if (keys.isEmpty()) {
            throw new IllegalStateException("no EncodingAESKey: plaintext mode does not encrypt");
        }
        if (random16.length != 16) {
            throw new IllegalArgumentException("the random prefix has 16 bytes");
        }
        byte[] text = message.getBytes(StandardCharsets.UTF_8);
        byte[] id = (receiveId == null ? "" : receiveId).getBytes(StandardCharsets.UTF_8);
        int unpadded = 20 + text.length + id.length;
        int pad = BLOCK - unpadded % BLOCK;
        ByteBuffer plain = ByteBuffer.allocate(unpadded + pad);
        plain.put(random16).putInt(text.length).put(text).put(id);
        for (int i = 0; i < pad; i++) {
            plain.put((byte) pad);
        }
        try {
            String encrypt = Base64.getEncoder().encodeToString(cipher(Cipher.ENCRYPT_MODE, keys.get(0))
                    .doFinal(plain.array()));
            return new Encrypted(encrypt, signature(token, timestamp, nonce, encrypt), timestamp, nonce);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CBC/NoPadding is in every JVM", e);
        }
    }

    /** An encrypted message and what WeChat sends with it. */
    public record Encrypted(String encrypt, String msgSignature, String timestamp, String nonce) {
        /** The XML body of a push as WeChat POSTs it: {@code <xml><ToUserName/><Encrypt/></xml>}. */
        public String pushXml(String toUserName) {
            return "<xml><ToUserName><![CDATA[" + toUserName + "]]></ToUserName><Encrypt><![CDATA[" + encrypt
                    + "]]></Encrypt></xml>";
        }

        /** The JSON body of a push, as a Mini Program set to JSON gets it: {@code {"ToUserName","Encrypt"}}. */
        public String pushJson(String toUserName) {
            return new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("ToUserName", toUserName)
                    .put("Encrypt", encrypt).toString();
        }
    }

    private static Cipher cipher(int mode, SecretKeySpec key) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
        cipher.init(mode, key, new IvParameterSpec(Arrays.copyOf(key.getEncoded(), 16)));
        return cipher;
    }

    private static void require(String name, String value) {
        if (value == null || value.isEmpty()) {
            throw new PushRefusedException(PushRefusedException.Why.MALFORMED, name + " is missing");
        }
    }

    private static boolean constantTimeEquals(String expected, String given) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                given.strip().toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "PushCrypto[receiveId=" + receiveId + ", " + (keys.isEmpty() ? "plaintext" : keys.size() + " key(s)")
                + ", token and keys not shown]";
    }
}
