// The data path a host runs: describe its directory, read events (one row is bad), keep the
// pool in a SQLite file, reload it, see one customer across keys, erase a customer.
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <siyu/siyu.hpp>
#include <sstream>

int main() {
  // The secret that keys the hashes of phone numbers comes from the host's vault; here from
  // the environment, with a fallback fit only for an example.
  const char* secret = std::getenv("SIYU_SECRET");
  siyu::Pool pool(
      siyu::PoolOptions{.secret = secret != nullptr ? secret : "example only, not a secret"});
  pool.staff().upsert(siyu::Staff{.key = "guide-01", .name = "王导购", .store = "上海南京路店"});
  pool.products().upsert(
      siyu::Product{.key = "tea-sample", .name = "龙井体验装", .price = siyu::Money{990}});

  // A CSV export from the host's WeCom integration; line 4 has a three-decimal amount.
  std::istringstream csv(
      "id,ts,customer,type,staff,channel,product,amount,ref,duration,text\n"
      "e1,2024-05-01T10:00:00+08:00,wm_001,friend_added,guide-01,package_card,,,,,\n"
      "e2,2024-05-01T10:05:00+08:00,wm_001,order_paid,guide-01,,tea-sample,9.90,A1,,\n"
      "e3,2024-05-01T10:06:00+08:00,wm_002,order_paid,guide-01,,tea-sample,9.999,A2,,\n"
      "e4,2024-05-02T09:00:00+08:00,un_001,identity_linked,,,,,wm_001,,\n"
      "e5,2024-05-02T09:30:00+08:00,un_001,message_in,,,,,,,\"hi, 我想要礼盒\"\n");
  const siyu::IngestReport report = siyu::ingest(pool, csv, siyu::InputFormat::csv, "export.csv");
  std::cout << "read " << report.read << ": " << report.accepted << " accepted, " << report.rejected
            << " rejected, " << report.placeholders.channels << " new channel\n";
  for (const siyu::QuarantineRecord& q : pool.quarantine()) {
    std::cout << "  quarantined " << q.source << ":" << q.line << " field " << q.field << ": "
              << q.reason << '\n';
  }

  // A Tmall order carried the phone number wm_002 also gave: one person, and the number is
  // kept only as a keyed hash and "138****5678".
  const siyu::Timestamp ordered = siyu::parse_timestamp("2024-05-03T12:00:00+08:00");
  pool.add_identity("wm_002", siyu::IdentityKind::phone, "13812345678", ordered);
  pool.add_identity("tmall_zhang", siyu::IdentityKind::phone, "+86 138-1234-5678", ordered);
  pool.commit();

  // Keep it in a file, and read it back in another "process".
  const auto file = std::filesystem::temp_directory_path() / "siyu-example-data.db";
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(file.string() + suffix);
  {
    siyu::Store store = siyu::Store::open(file);
    store.save(pool);
  }
  siyu::Store store = siyu::Store::open(file, siyu::StoreOptions{.pool = pool.options()});
  siyu::Pool loaded = store.load();
  std::cout << "reloaded " << loaded.events().size() << " events, " << loaded.quarantine().size()
            << " quarantined record\n";

  // wm_001 and un_001 are one person: their events form one range, in time order.
  const siyu::CustomerId wm = loaded.customers().id("wm_001");
  const siyu::Person person = loaded.identity(loaded.customers().id("un_001"));
  std::cout << "un_001 is " << loaded.customers()[person.person].key << " (" << person.keys.size()
            << " keys, linked by event " << person.links.at(0).event.value << ")\n";
  const auto range = loaded.events().range(wm);
  for (std::size_t p = range.begin; p < range.end; ++p) {
    const siyu::LoggedEvent e = loaded.events().at(p);
    std::cout << "  " << siyu::format_timestamp(e.ts, loaded.options().zone) << " "
              << siyu::to_string(e.type) << " as " << loaded.customers()[e.key].key << '\n';
  }

  const siyu::Person buyer = loaded.identity(loaded.customers().id("tmall_zhang"));
  const siyu::Identity& phone = loaded.identities()[buyer.links.at(0).identity];
  std::cout << "tmall_zhang is " << loaded.customers()[buyer.person].key << " (shared "
            << siyu::to_string(phone.kind) << " " << phone.display << ")\n";

  // The customer asks to be forgotten: every key, event, text and quarantined row goes.
  const siyu::CustomerErasure erased =
      store.erase(loaded, "wm_001", siyu::parse_timestamp("2024-06-01T00:00:00Z"));
  std::cout << "erased " << erased.keys.size() << " keys, " << erased.events << " events; "
            << loaded.events().size() << " events left\n";
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(file.string() + suffix);
  return 0;
}
