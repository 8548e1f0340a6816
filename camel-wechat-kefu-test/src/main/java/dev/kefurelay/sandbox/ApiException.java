package dev.kefurelay.sandbox;

/**
 * A WeChat error answer, thrown from deep inside a check so each endpoint reads as its happy path.
 * It carries only the code, and for some codes WeChat's hint naming the field (e.g. {@code data.thing1.value}); never
 * a value from the request, so it can never leak a secret into a log.
 */
final class ApiException extends RuntimeException {

    private final int errcode;
    private final String hint;

    ApiException(int errcode) {
        this(errcode, null);
    }

    /** @param hint what WeChat adds to the errmsg after its fixed text, naming what was wrong */
    ApiException(int errcode, String hint) {
        // No stack trace: this is control flow, thrown on every refused request.
        super("errcode " + errcode, null, false, false);
        this.errcode = errcode;
        this.hint = hint;
    }

    int errcode() {
        return errcode;
    }

    String hint() {
        return hint;
    }
}
