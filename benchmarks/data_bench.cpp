// The data path on the sample brand: CSV to the in-memory event log, saving a pool to a
// fresh SQLite file, and opening a stored pool (saved at once, or by ten saves). Issue targets,
// single thread, at 1 M customers / 10 M events: CSV to log >= 12 M rows/s, durable append >= 2 M
// events/s, open and ready >= 20 M events/s (sample_pool.hpp sets the size); peak_rss_mib is the
// process's peak resident memory so far.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "sample_pool.hpp"
#include "siyu/siyu.hpp"

namespace {

using siyu::bench::brand_csv;
using siyu::bench::ingested_pool;
using siyu::bench::peak_rss_mib;

std::filesystem::path bench_file(const char* name) {
  return std::filesystem::temp_directory_path() / name;
}

void remove_db(const std::filesystem::path& file) {
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(file.string() + suffix);
}

// A file, as an operator's import reads it (from the page cache once the first iteration
// has read it).
void csv_to_log(benchmark::State& state) {
  const auto file = bench_file("siyu-bench-brand.csv");
  const std::size_t bytes = brand_csv().size();
  std::ofstream(file, std::ios::binary) << brand_csv();
  std::size_t events = 0;
  for (auto _ : state) {
    siyu::Pool pool;
    const siyu::IngestReport report = siyu::ingest_file(pool, file);
    events = report.accepted;
    benchmark::DoNotOptimize(pool.events().size());
  }
  std::filesystem::remove(file);
  state.SetItemsProcessed(static_cast<std::int64_t>(events) * state.iterations());
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes) * state.iterations());
  state.counters["events"] = static_cast<double>(events);
  state.counters["peak_rss_mib"] = peak_rss_mib();
}

void store_append(benchmark::State& state) {
  const auto file = bench_file("siyu-bench-append.db");
  std::size_t events = 0;
  for (auto _ : state) {
    state.PauseTiming();
    remove_db(file);
    siyu::Pool pool = ingested_pool();
    events = pool.events().size();
    siyu::Store store = siyu::Store::open(file);
    state.ResumeTiming();
    store.save(pool);
  }
  remove_db(file);
  state.SetItemsProcessed(static_cast<std::int64_t>(events) * state.iterations());
  state.counters["events"] = static_cast<double>(events);
  state.counters["peak_rss_mib"] = peak_rss_mib();
}

// Opens `file`, a store of `events` events, read-only and loads it, once an iteration; then
// removes it.
void time_opening(benchmark::State& state, const std::filesystem::path& file, std::size_t events) {
  for (auto _ : state) {
    const siyu::Pool pool = siyu::Store::open(file, siyu::StoreOptions{.read_only = true}).load();
    benchmark::DoNotOptimize(pool.events().size());
  }
  remove_db(file);
  state.SetItemsProcessed(static_cast<std::int64_t>(events) * state.iterations());
  state.counters["events"] = static_cast<double>(events);
  state.counters["peak_rss_mib"] = peak_rss_mib();
}

void store_open(benchmark::State& state) {
  const auto file = bench_file("siyu-bench-open.db");
  remove_db(file);
  std::size_t events = 0;
  {
    siyu::Pool pool = ingested_pool();
    events = pool.events().size();
    siyu::Store::open(file).save(pool);
  }
  time_opening(state, file, events);
}

// A store written by ten saves, as a brand importing every day builds it: the brand's rows
// dealt out in turn to ten imports, each saved. Each save's events are stored in order but
// the whole log is not, so opening re-clusters it.
void store_open_after_saves(benchmark::State& state) {
  const auto file = bench_file("siyu-bench-open-saves.db");
  remove_db(file);
  std::size_t events = 0;
  {
    const std::string& csv = brand_csv();
    const std::size_t header_end = csv.find('\n') + 1;
    constexpr std::size_t saves = 10;
    std::vector<std::string> parts(saves, csv.substr(0, header_end));
    bool quoted = false;  // a quoted field may hold a line break
    std::size_t row_start = header_end;
    std::size_t row = 0;
    for (std::size_t at = header_end; at < csv.size(); ++at) {
      if (csv[at] == '"') quoted = !quoted;
      if (csv[at] != '\n' || quoted) continue;
      parts[row++ % saves].append(csv, row_start, at + 1 - row_start);
      row_start = at + 1;
    }
    siyu::Pool pool;
    siyu::add_sample_directory(pool, siyu::bench::brand());
    siyu::Store store = siyu::Store::open(file);
    for (std::size_t day = 0; day < saves; ++day) {
      std::istringstream in(parts[day]);
      (void)siyu::ingest(pool, in, siyu::InputFormat::csv, "day-" + std::to_string(day) + ".csv");
      store.save(pool);
    }
    events = pool.events().size();
  }
  time_opening(state, file, events);
}

}  // namespace

BENCHMARK(csv_to_log)->Unit(benchmark::kMillisecond)->Iterations(3);
// Saving waits for fsync and opening reads the file: wall-clock time is what a host sees.
BENCHMARK(store_append)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();
BENCHMARK(store_open)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();
BENCHMARK(store_open_after_saves)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();

BENCHMARK_MAIN();
