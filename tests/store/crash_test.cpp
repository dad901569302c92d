// Crash safety: a forked writer saves batches until it is killed with SIGKILL at a random
// moment. After every kill the file must open, pass PRAGMA integrity_check, and hold exactly
// the batches that committed: every batch the writer reported, at most the one in flight
// besides, and never part of a batch.
#include <SQLiteCpp/SQLiteCpp.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <random>
#include <sstream>
#include <string>
#include <thread>

#include "siyu/ingest/ingest.hpp"
#include "siyu/store/store.hpp"
#include "support/catch.hpp"
#include "support/temp_dir.hpp"

namespace siyu {

namespace {

constexpr int events_per_batch = 40;

std::string batch_csv(std::int64_t batch) {
  std::string csv = "id,ts,customer,type\n";
  for (int i = 0; i < events_per_batch; ++i) {
    csv += "b" + std::to_string(batch) + "-" + std::to_string(i) + "," +
           std::to_string(1714528800 + batch) + ",c" + std::to_string(i % 7) + ",message_in\n";
  }
  return csv;
}

// The writer: saves batch after batch, reporting each committed batch number on `report`.
[[noreturn]] void write_until_killed(const std::filesystem::path& file, int report) {
  try {
    Store store = Store::open(file);
    Pool pool = store.load();
    for (std::int64_t batch = static_cast<std::int64_t>(pool.events().size()) / events_per_batch;;
         ++batch) {
      std::istringstream in(batch_csv(batch));
      (void)ingest(pool, in, InputFormat::csv, "batch.csv");
      store.save(pool);
      if (write(report, &batch, sizeof batch) != sizeof batch) _exit(3);
    }
  } catch (...) {
    _exit(2);
  }
}

}  // namespace

TEST_CASE("a writer killed at random leaves exactly its committed batches", "[store]") {
  testing::TempDir dir;
  const auto file = dir / "crash.db";
  (void)Store::open(file);
  std::mt19937 random(7);
  std::int64_t committed = -1;  // the highest batch number reported so far
  int kills = 0;
  for (int round = 0; round < 100; ++round) {
    int pipe_ends[2];
    REQUIRE(pipe(pipe_ends) == 0);
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      close(pipe_ends[0]);
      write_until_killed(file, pipe_ends[1]);
    }
    close(pipe_ends[1]);
    // Odd rounds kill at any moment, start-up included; even rounds first wait for a
    // committed batch, so the writer progresses however slow the machine (or ASan) is.
    std::int64_t batch = 0;
    if (round % 2 == 0) {
      REQUIRE(read(pipe_ends[0], &batch, sizeof batch) == sizeof batch);
      committed = std::max(committed, batch);
    }
    std::this_thread::sleep_for(
        std::chrono::microseconds(std::uniform_int_distribution<int>(0, 30'000)(random)));
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) ++kills;
    REQUIRE_FALSE((WIFEXITED(status) && WEXITSTATUS(status) != 0));
    while (read(pipe_ends[0], &batch, sizeof batch) == sizeof batch)
      committed = std::max(committed, batch);
    close(pipe_ends[0]);

    SQLite::Database db(file.string(), SQLite::OPEN_READONLY);
    REQUIRE(db.execAndGet("PRAGMA integrity_check").getString() == "ok");
    const auto events =
        db.execAndGet("SELECT coalesce(sum(count), 0) FROM event_chunks").getInt64();
    CAPTURE(round, committed, events);
    REQUIRE(events % events_per_batch == 0);  // never part of a batch
    const std::int64_t batches = events / events_per_batch;
    REQUIRE(batches >= committed + 1);  // every reported batch is there
    REQUIRE(batches <= committed + 2);  // plus at most the one in flight
    committed = batches - 1;
    REQUIRE(db.execAndGet("SELECT coalesce(sum(count), 0) FROM key_chunks").getInt64() == events);
  }
  CHECK(kills == 100);
  CHECK(committed > 5);  // the writer made progress between kills
}

}  // namespace siyu
