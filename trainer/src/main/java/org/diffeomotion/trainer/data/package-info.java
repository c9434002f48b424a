/**
 * Demonstrations in: ROS bags ({@link org.diffeomotion.trainer.data.BagDemoReader}) and CSV ({@link
 * org.diffeomotion.trainer.data.CsvDemoReader}) to a validated {@link
 * org.diffeomotion.trainer.data.DemonstrationSet}; segmentation at time gaps and trimming of still
 * phases; and {@link org.diffeomotion.trainer.data.Preprocessor} to {@link
 * org.diffeomotion.trainer.data.PreparedData} (uniform resampling, goal, scales σ and τ,
 * train/validation split, data-set hash) whose {@link org.diffeomotion.trainer.data.NormalizedData}
 * feeds the training engine. Bad input raises {@link
 * org.diffeomotion.trainer.data.DemoDataException} naming file, topic, demo and field. Formats and
 * choices: {@code trainer/DATA.md}.
 */
package org.diffeomotion.trainer.data;
