// The debtor lookup's number check in the browser: a number whose check character is wrong is
// caught before the form is sent, so the person can correct it at once. The rules are those of
// portal/registers/identity.py (GB 11643 with ISO 7064 MOD 11-2; GB 32100 with GB 11714); the
// server checks again. Node loads this file too (require), to test it against the Python rule.
"use strict";

const NumberCheck = (() => {
  // What Python's str.isspace() calls white space, and hyphens: what the server drops too.
  const REMOVED = /[\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000-]/gu;
  const RESIDENT_ID = /^\d{17}[\dX]$/;
  const RESIDENT_CHECK = "10X98765432";
  const PROVINCES = new Set(
    ("11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 " +
      "64 65 71 81 82").split(" "),
  );
  const CREDIT_CHARACTERS = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  const CREDIT_CODE = /^[1-9A-HNY][1-9]\d{6}[0-9A-HJ-NP-RTUW-Y]{10}$/;
  const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const ORGANISATION_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

  function normalise(value) {
    return value.normalize("NFKC").replace(REMOVED, "").toUpperCase();
  }

  function isResidentId(number) {
    if (!RESIDENT_ID.test(number) || !PROVINCES.has(number.slice(0, 2))) return false;
    const [year, month, day] = [number.slice(6, 10), number.slice(10, 12), number.slice(12, 14)];
    const birth = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
    if (
      Number(year) < 1900 ||
      birth.getUTCFullYear() !== Number(year) ||
      birth.getUTCMonth() !== Number(month) - 1 ||
      birth.getUTCDate() !== Number(day)
    ) {
      return false;
    }
    let total = 0;
    for (let position = 0; position < 17; position += 1) {
      total += Number(number[position]) * (2 ** (17 - position) % 11);
    }
    return RESIDENT_CHECK[total % 11] === number[17];
  }

  function isCreditCode(code) {
    if (!CREDIT_CODE.test(code)) return false;
    let organisation = 0;
    for (let position = 0; position < 8; position += 1) {
      organisation += parseInt(code[8 + position], 36) * ORGANISATION_WEIGHTS[position];
    }
    const value = 11 - (organisation % 11);
    if ((({ 10: "X", 11: "0" })[value] ?? String(value)) !== code[16]) return false;
    let total = 0;
    for (let position = 0; position < 17; position += 1) {
      total += CREDIT_CHARACTERS.indexOf(code[position]) * CREDIT_WEIGHTS[position];
    }
    return CREDIT_CHARACTERS[(31 - (total % 31)) % 31] === code[17];
  }

  // Whether a number as typed is valid; an empty one is (the number is optional).
  function isValid(typed) {
    const number = normalise(typed);
    return number === "" || isResidentId(number) || isCreditCode(number);
  }

  return { normalise, isValid };
})();

if (typeof module === "object" && module.exports) module.exports = NumberCheck;

(() => {
  if (typeof document === "undefined") return; // in Node: the functions only
  const input = document.querySelector("input[data-number-check]");
  if (!input) return;
  const form = input.form;
  // The hint and the error are named after the field: "<id>-hint", "<id>-error".
  const hint = `${input.id}-hint`;
  const errorId = `${input.id}-error`;
  form.addEventListener("submit", (event) => {
    if (NumberCheck.isValid(input.value)) return;
    event.preventDefault();
    let error = document.getElementById(errorId);
    if (!error) {
      error = document.createElement("p");
      error.className = "field-error";
      error.id = errorId;
      input.before(error);
    }
    error.textContent = input.dataset.numberCheck;
    input.closest(".field").classList.add("field--error");
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", `${hint} ${errorId}`);
    input.focus();
  });
})();
