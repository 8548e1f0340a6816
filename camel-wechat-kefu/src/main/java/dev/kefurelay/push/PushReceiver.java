package dev.kefurelay.push;

import java.util.Map;

/**
 * One push endpoint's checks, in plain Java: URL verification (GET) and a push (POST) taken apart into its
 * fields, signature, replay window and encryption checked. Nothing is kept here but the nonces of pushes the
 * caller reported {@link #taken}.
 *
 * @param scope names the endpoint for the nonce cache and error texts (e.g. {@code component}, an appid)
 */
public record PushReceiver(String scope, PushCrypto crypto, ReplayGuard replay, int maxBytes) {

    /**
     * GET URL verification: the {@code echostr} to answer. WeChat's Official Account form signs token,
     * timestamp and nonce ({@code signature}) and wants echostr back as sent; the encrypted form (WeCom,
     * {@code msg_signature}) signs the echostr too and wants it decrypted. Either way the request must be fresh
     * (within the replay window), its nonce unused (and taken by it), and the answer an {@link Echostr}: a GET
     * never answers the content of a push, whatever it was signed or encrypted with.
     *
     * @param body the request's body: a URL verification has none
     */
    public String verify(Map<String, String> query, byte[] body) {
        if (body != null && body.length > 0 || query.keySet().stream().anyMatch("Encrypt"::equalsIgnoreCase)) {
            throw new PushRefusedException(PushRefusedException.Why.NOT_VERIFICATION,
                    "a URL verification has no body and no Encrypt parameter: pushes are POSTed");
        }
        String echostr = query.get("echostr");
        if (echostr == null || echostr.isEmpty()) {
            throw new PushRefusedException(PushRefusedException.Why.MALFORMED, "echostr is missing");
        }
        String answer;
        if (query.get("msg_signature") != null) {
            answer = crypto.decrypt(query.get("msg_signature"), query.get("timestamp"), query.get("nonce"), echostr);
        } else {
            crypto.checkSignature(query.get("signature"), query.get("timestamp"), query.get("nonce"));
            answer = echostr;
        }
        if (!Echostr.plausible(answer)) {
            // never quoted: it may be a push's plaintext
            throw new PushRefusedException(PushRefusedException.Why.NOT_VERIFICATION, "the echostr "
                    + (answer.equals(echostr) ? "" : "decrypts to something that ") + "is no URL verification token "
                    + "(at most " + Echostr.MAX_LENGTH + " letters, digits or ._~-, no push)");
        }
        replay.claim(scope, query.get("timestamp"), query.get("nonce"));
        return answer;
    }

    /**
     * A POST: the message's fields once every check passed. Encrypted (safe or compatible mode: only
     * {@code Encrypt} is signed and used) when an EncodingAESKey is configured, else plaintext mode. XML or, as a
     * Mini Program may be set to push, JSON ({@link PushBody}): the same fields either way.
     */
    public Map<String, Object> receive(Map<String, String> query, byte[] body) {
        Map<String, Object> outer = PushBody.parse(body, maxBytes);
        String timestamp = query.get("timestamp");
        String nonce = query.get("nonce");
        Map<String, Object> fields;
        if (crypto.encrypted()) {
            String encrypt = PushXml.text(outer, "Encrypt");
            if (encrypt == null) {
                throw new PushRefusedException(PushRefusedException.Why.MALFORMED, "the push to " + scope
                        + " has no Encrypt, but an EncodingAESKey is configured for it (safe mode)");
            }
            String plain = crypto.decrypt(query.get("msg_signature"), timestamp, nonce, encrypt);
            try {
                fields = PushBody.parse(plain, maxBytes);
            } catch (PushRefusedException e) {
                throw new PushRefusedException(e.why(), "decrypted: " + e.getMessage());
            }
        } else {
            crypto.checkSignature(query.get("signature"), timestamp, nonce);
            fields = outer;
        }
        replay.check(scope, timestamp, nonce);
        return fields;
    }

    /** The push was handled (stored or queued): its nonce is refused from now on. */
    public void taken(Map<String, String> query) {
        replay.taken(scope, query.get("nonce"));
    }
}
