// pigeon-sendmail, also run as sendmail, mailq and newaliases (see sendmail(1)). Thin: the
// program lives in mta/sendmail.
#include "mta/sendmail/sendmail.h"

int main(int argc, char** argv) { return pigeon::mta::sendmail::RunSendmail(argc, argv); }
