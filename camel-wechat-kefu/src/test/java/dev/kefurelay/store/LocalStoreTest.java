package dev.kefurelay.store;

import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;

/** The store contract for the embedded default: files in one folder, one relay at a time. */
class LocalStoreTest extends KefuStoreContract {

    @TempDir
    Path dir;

    @Override
    protected KefuStore open(StoreSettings settings) {
        return LocalStore.open(dir.resolve("store"), settings);
    }

    @Override
    protected boolean sharedAtOnce() {
        return false;
    }
}
