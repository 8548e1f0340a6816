package dev.kefurelay.sandbox;

/**
 * A WeChat error answer, thrown from deep inside a check so each endpoint reads as its happy path.
 * It carries only the code: nothing from the request, so it can never leak a secret into a log.
 */
final class ApiException extends RuntimeException {

    private final int errcode;

    ApiException(int errcode) {
        // No stack trace: this is control flow, thrown on every refused request.
        super("errcode " + errcode, null, false, false);
        this.errcode = errcode;
    }

    int errcode() {
        return errcode;
    }
}
