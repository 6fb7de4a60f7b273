// Pre-select the browser's time zone in a <select data-guess-time-zone> (the sign-up form).
// Without JavaScript, or for a zone the list lacks, the select keeps what the server chose (UTC).

export function guessTimeZone(select, zone) {
  if (zone && Array.from(select.options).some((option) => option.value === zone)) {
    select.value = zone;
  }
}

const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
document.querySelectorAll("select[data-guess-time-zone]").forEach((select) => guessTimeZone(select, zone));
