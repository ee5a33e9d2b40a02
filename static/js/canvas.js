// The journey canvas: keyboard navigation between cells, stage and lane
// reordering, zoom. Card mechanics (inline edit, drag, 409s) are in cards.js.
"use strict";
