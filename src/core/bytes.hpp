#pragma once
// Little-endian bytes for what siyu saves as blobs (record chunks, a SOP engine's state):
// numbers as the machine holds them, strings as a uint32 length and the bytes, lists as a
// uint32 count and the items.

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>

namespace siyu::detail {

static_assert(std::endian::native == std::endian::little, "saved bytes are little-endian");

/// Appends values to a string.
class ByteWriter {
 public:
  explicit ByteWriter(std::string& out) : out_(out) {}

  template <class T>
    requires std::is_trivially_copyable_v<T>
  void put(const T& value) {
    out_.append(reinterpret_cast<const char*>(&value), sizeof value);
  }
  void put(std::string_view text) {
    put(static_cast<std::uint32_t>(text.size()));
    out_.append(text);
  }

 private:
  std::string& out_;
};

/// Reads what a ByteWriter wrote. Bytes that do not add up call `damaged()`, which throws
/// the error that names what was being read.
template <class Damaged>
class ByteReader {
 public:
  ByteReader(std::string_view bytes, Damaged damaged) : rest_(bytes), damaged_(damaged) {}

  template <class T>
    requires std::is_trivially_copyable_v<T>
  T get() {
    T value;
    std::memcpy(&value, take(sizeof value), sizeof value);
    return value;
  }
  std::string text() {
    const auto size = get<std::uint32_t>();
    return std::string(take(size), size);
  }
  /// A list's count, checked before anything is reserved for it, so a damaged count
  /// cannot ask for gigabytes.
  std::uint32_t count(std::size_t min_item_bytes) {
    const auto n = get<std::uint32_t>();
    if (n > rest_.size() / min_item_bytes) damaged_();
    return n;
  }
  /// Checks that nothing is left over.
  void finish() const {
    if (!rest_.empty()) damaged_();
  }

 private:
  const char* take(std::size_t size) {
    if (rest_.size() < size) damaged_();
    const char* at = rest_.data();
    rest_.remove_prefix(size);
    return at;
  }

  std::string_view rest_;
  Damaged damaged_;
};

}  // namespace siyu::detail
