// PLOVER's 16 event types in PLOVER's order (cooperative verbal/material, then
// conflictual verbal/material), with colours: cooperation in greens and blues,
// verbal conflict in yellows/oranges, material conflict in purples and reds.
export const TYPE_COLORS = {
  AGREE: "#2e7d32",
  CONSULT: "#7cb342",
  SUPPORT: "#00897b",
  CONCEDE: "#26a6b8",
  COOPERATE: "#1e88e5",
  AID: "#3949ab",
  RETREAT: "#78909c",
  REQUEST: "#8d6e63",
  ACCUSE: "#e6b800",
  REJECT: "#ff9800",
  THREATEN: "#f4511e",
  PROTEST: "#ab47bc",
  SANCTION: "#6a1b9a",
  MOBILIZE: "#ec407a",
  COERCE: "#a1300f",
  ASSAULT: "#d50000",
};

export const TYPES = Object.keys(TYPE_COLORS);

export function colorOf(type) {
  return TYPE_COLORS[type] || "#555";
}
