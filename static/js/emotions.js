// emotions
"use strict";
