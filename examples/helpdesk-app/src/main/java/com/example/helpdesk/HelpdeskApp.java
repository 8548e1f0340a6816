package com.example.helpdesk;

import org.apache.camel.main.Main;

/** The help desk's integration: its routes are YAML (src/main/resources/routes), its settings application.properties. */
public final class HelpdeskApp {

    private HelpdeskApp() {
    }

    public static void main(String[] args) throws Exception {
        // no class to scan: the routes are the YAML files that application.properties names
        new Main().run(args);
    }
}
