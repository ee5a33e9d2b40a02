// actions
"use strict";
