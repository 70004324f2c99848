// The recording's wire-form markers, from the checker's recorder (the one place they are defined).
export { isSecret, UNKNOWN } from "../recorder/recording";
