// mailq's listing in Postfix's layout, so people and scripts that read `mailq` output keep
// working:
//   -Queue ID-     --Size-- ----Arrival Time----  -Sender/Recipient-------
//   01JD4Q7ZB2N8XK*     528 Sun Nov 29 08:36:28  ada@example.org
//                 (connect to mx.remote.test[127.0.0.2]:25: Connection refused)
//                                                bob@remote.test
//
//   -- 1 Kbytes in 1 Request.
// After the queue id, "*" marks a message being delivered now and "!" a held one. A waiting
// recipient's last reply stands in parentheses above it, right-aligned to column 78 as in
// Postfix; a recipient already done says so.
#pragma once

#include <string>
#include <vector>

#include "common/store/outgoing_queue.h"

namespace pigeon::mta::queue {

// "Mail queue is empty\n" for no messages. `zone_offset_minutes`: local time for the dates.
std::string FormatQueueListing(const std::vector<store::QueuedMessage>& messages,
                               int zone_offset_minutes);

}  // namespace pigeon::mta::queue
