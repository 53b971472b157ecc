#include "mta/queue/wakeup.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

namespace pigeon::mta::queue {

std::string WakeupSocketPath(const std::string& store_path) { return store_path + ".wake"; }

bool SendWakeup(const std::string& store_path, Wakeup what) {
  const std::string path = WakeupSocketPath(store_path);
  sockaddr_un address{};
  if (path.size() >= sizeof(address.sun_path)) return false;
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path, path.data(), path.size());
  const int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return false;
  const char byte = static_cast<char>(what);
  const ssize_t sent = sendto(fd, &byte, 1, MSG_DONTWAIT | MSG_NOSIGNAL,
                              reinterpret_cast<const sockaddr*>(&address), sizeof(address));
  close(fd);
  return sent == 1;
}

}  // namespace pigeon::mta::queue
