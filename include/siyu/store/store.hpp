#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string_view>

#include "siyu/core/duration.hpp"
#include "siyu/core/timestamp.hpp"
#include "siyu/export.hpp"
#include "siyu/model/pool.hpp"

namespace siyu {

/// How a store opens its file.
struct StoreOptions {
  bool read_only = false;                         ///< Open for analysis only; never writes.
  Duration busy_timeout = Duration::seconds(10);  ///< How long a writer waits for another.
  PoolOptions pool;                               ///< Settings of a pool created with a new file.
};

/// A pool kept in one SQLite file: directories, the event log, idempotency keys and the
/// quarantine. The file uses WAL mode, foreign keys and `BEGIN IMMEDIATE` transactions with
/// a busy timeout, so a second writer waits instead of failing. Schema changes are applied
/// by forward migrations when a file is opened for writing.
///
/// A store is move-only and not safe to share between threads; open one per thread.
/// SQLite failures become `StorageError` with SQLite's extended result code.
class SIYU_EXPORT Store {
 public:
  /// Opens `path`, creating it (with `options.pool`) unless `options.read_only`.
  [[nodiscard]] static Store open(const std::filesystem::path& path,
                                  const StoreOptions& options = {});

  /// Stores are moved, not copied: each owns its connection.
  Store(Store&&) noexcept;
  /// Move assignment.
  Store& operator=(Store&&) noexcept;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;
  ~Store();

  /// The schema version this siyu writes.
  static constexpr int schema_version = 6;

  /// Reads the whole pool: directories, events, idempotency keys and quarantine.
  [[nodiscard]] Pool load() const;

  /// Writes what changed in `pool` since it was loaded from this store or last saved into
  /// it (new and updated directory records, committed events, idempotency keys, quarantine
  /// rows) in one transaction: all of it or, on failure, none. Staged events are not saved,
  /// nor their idempotency keys: the save after their commit writes both.
  void save(Pool& pool);

  /// Erases a customer from the file and from `pool` (loaded from this store): their
  /// events and message texts, tags, owner history and quarantined records are deleted and
  /// their record becomes an anonymous "~erased-<id>" placeholder, in one transaction.
  /// Deleted content is overwritten (secure_delete) and the write-ahead log is checkpointed
  /// and truncated, so the bytes leave the file. An audit row records when the erase
  /// happened (`at`) and what it counted, without the erased data. Throws `NotFound` for an
  /// unknown key. Idempotency keys (hashes) stay, so re-importing an old file does not bring
  /// the events back.
  CustomerErasure erase(Pool& pool, std::string_view customer_key, Timestamp at);

  /// Counts of what the file holds, without loading it.
  struct Counts {
    std::uint64_t customers = 0;   ///< Customers.
    std::uint64_t events = 0;      ///< Events.
    std::uint64_t quarantine = 0;  ///< Rejected records.
    std::uint64_t audit = 0;       ///< Audit rows (erasures).
  };
  /// Counts of what the file holds.
  [[nodiscard]] Counts counts() const;

 private:
  struct Connection;
  explicit Store(std::unique_ptr<Connection> connection);
  std::unique_ptr<Connection> connection_;
};

}  // namespace siyu
