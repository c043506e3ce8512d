package dev.clearance.cli.serve;

class SqliteServeRestartTest extends ServeRestartContract {
    @Override
    String storeUrl() {
        return "jdbc:sqlite:" + dir.resolve("data/clearance.db");
    }
}
