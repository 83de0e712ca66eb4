"use server";

import { action } from "@/lib/actions/safe-action";
import { endpointVerbs } from "@/lib/features/endpoints/verbs";

export const createEndpointAction = action(endpointVerbs.create);
export const updateEndpointAction = action(endpointVerbs.update);
export const setEnabledAction = action(endpointVerbs.setEnabled);
export const sendTestAction = action(endpointVerbs.sendTest);
export const resendAction = action(endpointVerbs.resend);
export const recoverAction = action(endpointVerbs.recover);
export const recoveryProgressAction = action(endpointVerbs.recoveryProgress);
export const revealSecretAction = action(endpointVerbs.revealSecret);
export const rotateSecretAction = action(endpointVerbs.rotateSecret);
