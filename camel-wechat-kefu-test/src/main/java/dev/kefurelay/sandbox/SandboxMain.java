package dev.kefurelay.sandbox;

/** Runs the sandbox alone, so a person can try the API with curl. */
public final class SandboxMain {

    public static final String DEMO_APPID = "wxsandbox000000001";
    /** A public demo value, not a secret: it only opens this local fake. */
    public static final String DEMO_SECRET = "sandbox-secret";
    public static final int DEFAULT_PORT = 8089;

    private SandboxMain() {
    }

    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_PORT;
        WeChatSandbox sandbox = start(port);
        Runtime.getRuntime().addShutdownHook(new Thread(sandbox::close, "wechat-sandbox-shutdown"));
        String base = sandbox.baseUrl();
        System.out.println("WeChat sandbox: " + base);
        System.out.println("  demo account " + DEMO_APPID + " / " + DEMO_SECRET);
        System.out.println("  curl '" + base + "/cgi-bin/token?grant_type=client_credential&appid=" + DEMO_APPID
                + "&secret=" + DEMO_SECRET + "'");
        System.out.println("  curl -d '{\"touser\":\"oDemoUser\",\"msgtype\":\"text\",\"text\":{\"content\":\"你好\"}}' '"
                + base + "/cgi-bin/message/custom/send?access_token=TOKEN'");
        // The server's dispatcher thread is not a daemon: the JVM keeps serving until it is stopped (Ctrl-C).
    }

    /** The sandbox main() runs, without the printing and the shutdown hook, so a test can start and close it. */
    static WeChatSandbox start(int port) {
        return WeChatSandbox.start(port).account(DEMO_APPID, DEMO_SECRET);
    }
}
