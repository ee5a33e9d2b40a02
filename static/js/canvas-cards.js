// canvas-cards
"use strict";
