package dev.kefurelay.component.springboot.app;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A Spring Boot application as a user writes one: the starter, application.properties and a YAML route. */
@SpringBootApplication
public class KefuApplication {
}
